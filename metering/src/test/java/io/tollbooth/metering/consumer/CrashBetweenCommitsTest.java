package io.tollbooth.metering.consumer;

import static io.tollbooth.metering.UsageEvents.MAY;
import static io.tollbooth.metering.UsageEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.LedgerRows;
import io.tollbooth.metering.MeteringConfig;
import io.tollbooth.metering.TestTenant;
import io.tollbooth.metering.ledger.UsageLedger;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A consumer that dies after the database committed a batch and before Kafka committed its offsets: the batch is
 * read again by the next consumer, found already stored, and no total changes. Runs on a topic and group of its
 * own, so that only the consumer under test reads the events.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class CrashBetweenCommitsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TOPIC = UsageEvent.TOPIC + ".crash-test";
    private static final int EVENTS = 5;

    @Inject
    DataSource dataSource;

    @Inject
    UsageLedger ledger;

    @Inject
    DeadLetters deadLetters;

    @Inject
    MeteringConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private final AtomicInteger consumersStarted = new AtomicInteger();
    private final AtomicInteger crashes = new AtomicInteger();
    private final AtomicInteger recordsRead = new AtomicInteger();

    @Test
    void changesNoTotalWhenTheConsumerDiesBetweenTheDatabaseCommitAndTheOffsetCommit() throws Exception {
        TestTenant tenant = TestTenant.create(dataSource);
        String group = "crash-test-" + UUID.randomUUID();
        DeadLetters.ensureTopic(kafka, TOPIC);
        publish(tenant);

        UsageConsumerWorker worker = new UsageConsumerWorker("crash-test", TOPIC, Duration.ofMillis(100),
                () -> new CrashingConsumer(properties(group), consumersStarted.incrementAndGet() == 1), ledger,
                deadLetters, new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
        new Thread(worker, "crash-test").start();
        try {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(committed(group)).isEqualTo(endOffsets()));
        } finally {
            worker.requestStop();
            assertThat(worker.awaitStopped(PATIENCE)).isTrue();
        }

        LedgerRows rows = new LedgerRows(dataSource);
        assertThat(crashes.get()).isEqualTo(1);
        assertThat(recordsRead.get()).isGreaterThan(EVENTS);
        assertThat(rows.events(tenant.clientId())).hasSize(EVENTS);
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.0175");
    }

    /** Five events of 1,000 input and 100 output tokens at PLAN-T's gpt-4o prices: 0.0035 each. */
    private void publish(TestTenant tenant) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(DeadLetters.producerProperties(kafka))) {
            for (int i = 0; i < EVENTS; i++) {
                UsageEvent event = event(tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 100), MAY.plusSeconds(i));
                producer.send(new ProducerRecord<>(TOPIC, event.subject(), UsageEventCodec.encode(event))).get();
            }
        }
    }

    private Map<String, Object> properties(String group) {
        Map<String, Object> properties = UsageConsumers.consumerProperties(kafka, config.consumer(), "crash-test");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return properties;
    }

    private Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(kafka))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(offset -> offset.getValue() != null && offset.getValue().offset() > 0
                            && offset.getKey().topic().equals(TOPIC))
                    .collect(Collectors.toMap(Map.Entry::getKey, offset -> offset.getValue().offset()));
        }
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(kafka))) {
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(TOPIC)).allTopicNames()
                    .get().get(TOPIC).partitions().stream()
                    .collect(Collectors.toMap(info -> new TopicPartition(TOPIC, info.partition()),
                            info -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .filter(end -> end.getValue().offset() > 0)
                    .collect(Collectors.toMap(Map.Entry::getKey, end -> end.getValue().offset()));
        }
    }

    /** A Kafka consumer that counts what it reads and, if told to, dies at its first offset commit. */
    private final class CrashingConsumer extends KafkaConsumer<String, byte[]> {

        private final boolean crashAtCommit;

        CrashingConsumer(Map<String, Object> properties, boolean crashAtCommit) {
            super(properties);
            this.crashAtCommit = crashAtCommit;
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            recordsRead.addAndGet(records.count());
            return records;
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (crashAtCommit) {
                crashes.incrementAndGet();
                throw new IllegalStateException("consumer killed after the database commit");
            }
            super.commitSync(offsets);
        }
    }
}

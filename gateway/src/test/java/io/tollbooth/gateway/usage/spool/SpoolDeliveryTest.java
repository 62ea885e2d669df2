package io.tollbooth.gateway.usage.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollbooth.deploy.kafka.LocalKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool against a real Kafka broker that goes away and comes back: every event arrives exactly once and in
 * order, and what Kafka acknowledged is never sent again, across an outage and across a restart of the spool.
 */
class SpoolDeliveryTest {

    private static final String TOPIC = "spool-test:1";
    private static final String TOPIC_NAME = "spool-test";
    private static final String CLIENT = "0c000000-0000-0000-0000-000000000001";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path kafkaData;

    @TempDir
    Path spoolDirectory;

    @Test
    void deliversEveryEventOnceAndInOrderWhenTheBrokerStopsAndReturns() throws IOException {
        int brokerPort = freePort();
        int controllerPort = freePort();
        LocalKafka broker = LocalKafka.start(kafkaData, brokerPort, controllerPort, TOPIC);
        UsageSpool spool = new UsageSpool(new TestSpoolConfig(spoolDirectory, 100), producer(broker), TOPIC_NAME);
        try {
            append(spool, 1, 3);
            await().atMost(WAIT).until(() -> spool.depth() == 0);

            broker.close();
            append(spool, 4, 8);
            await().atMost(WAIT).until(() -> spool.failedSends() > 0);
            assertThat(spool.depth()).isEqualTo(5);

            broker = LocalKafka.start(kafkaData, brokerPort, controllerPort, TOPIC);
            await().atMost(WAIT).until(() -> spool.depth() == 0);

            assertThat(readTopic(broker, 8)).containsExactly("event-1", "event-2", "event-3", "event-4", "event-5",
                    "event-6", "event-7", "event-8");
        } finally {
            spool.close(Duration.ofSeconds(5));
            broker.close();
        }
    }

    @Test
    void sendsWhatAnEarlierRunLeftInTheSpoolAndNothingKafkaAlreadyHas() throws IOException {
        int brokerPort = freePort();
        int controllerPort = freePort();
        // Kafka is not there yet: the events wait in the spool through a graceful shutdown.
        UsageSpool first = new UsageSpool(new TestSpoolConfig(spoolDirectory, 100),
                producer("127.0.0.1:" + brokerPort), TOPIC_NAME);
        append(first, 1, 3);
        first.close(Duration.ofMillis(500));

        LocalKafka broker = LocalKafka.start(kafkaData, brokerPort, controllerPort, TOPIC);
        try {
            UsageSpool second = new UsageSpool(new TestSpoolConfig(spoolDirectory, 100), producer(broker),
                    TOPIC_NAME);
            assertThat(second.depth()).isEqualTo(3);
            await().atMost(WAIT).until(() -> second.depth() == 0);
            append(second, 4, 4);
            await().atMost(WAIT).until(() -> second.depth() == 0);
            second.close(Duration.ofSeconds(5));

            UsageSpool third = new UsageSpool(new TestSpoolConfig(spoolDirectory, 100), producer(broker),
                    TOPIC_NAME);
            assertThat(third.depth()).isZero();
            append(third, 5, 5);
            await().atMost(WAIT).until(() -> third.depth() == 0);
            third.close(Duration.ofSeconds(5));

            assertThat(readTopic(broker, 5)).containsExactly("event-1", "event-2", "event-3", "event-4", "event-5");
        } finally {
            broker.close();
        }
    }

    @Test
    void raisesTheAlarmOnceTheDepthPassesItsBound() throws IOException {
        UsageSpool spool = new UsageSpool(new TestSpoolConfig(spoolDirectory, 2), producer("127.0.0.1:" + freePort()),
                TOPIC_NAME);
        try {
            append(spool, 1, 2);
            assertThat(spool.overBound()).isFalse();
            append(spool, 3, 3);

            assertThat(spool.depth()).isEqualTo(3);
            assertThat(spool.overBound()).isTrue();
        } finally {
            spool.close(Duration.ofMillis(200));
        }
    }

    private static void append(UsageSpool spool, int from, int to) throws IOException {
        for (int i = from; i <= to; i++) {
            spool.append(CLIENT, ("event-" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static KafkaProducer<String, byte[]> producer(LocalKafka broker) {
        return producer(broker.bootstrapServers());
    }

    /** The gateway's producer settings, with timeouts short enough for a test to see a send fail. */
    private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        Map<String, Object> config = UsageSpoolProducer.producerConfig(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "2000",
                ProducerConfig.LINGER_MS_CONFIG, "0",
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200"));
        return new KafkaProducer<>(config);
    }

    private static List<String> readTopic(LocalKafka broker, int expected) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition(TOPIC_NAME, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
                return values.size() >= expected;
            });
            // Anything more (a duplicate) would be in the partition already: read once more to the end.
            consumer.poll(Duration.ofMillis(500)).forEach(record ->
                    values.add(new String(record.value(), StandardCharsets.UTF_8)));
            return values;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

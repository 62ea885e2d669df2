package io.tollbooth.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollbooth.deploy.kafka.LocalKafka;
import io.tollbooth.gateway.auth.AuthenticatedKey;
import io.tollbooth.gateway.metrics.GatewayMetrics;
import io.tollbooth.gateway.usage.spool.SpoolConfig;
import io.tollbooth.gateway.usage.spool.UsageSpool;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usage recorder with its queue full, against the real spool and a real Kafka broker: the requests that find no
 * room are measured and spooled by their callers, so every request still leaves exactly one event.
 */
class UsageQueueOverflowTest {

    private static final String TOPIC = "usage-overflow-test";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int QUEUE_CAPACITY = 3;
    private static final int REQUESTS = 20;
    private static final AuthenticatedKey KEY = new AuthenticatedKey(
            UUID.fromString("0d000000-0000-0000-0000-000000000001"), "tb_abcdefgh",
            UUID.fromString("0c000000-0000-0000-0000-000000000001"),
            UUID.fromString("0a000000-0000-0000-0000-000000000001"));

    @TempDir
    Path kafkaData;

    @TempDir
    Path spoolDirectory;

    @Test
    void deliversOneEventPerRequestWhenTheQueueIsFull() throws InterruptedException {
        LocalKafka broker = LocalKafka.start(kafkaData, TOPIC + ":1");
        UsageSpool spool = new UsageSpool(new OverflowSpoolConfig(spoolDirectory), producer(broker), TOPIC);
        HeldPublisher publisher = new HeldPublisher(spool);
        UsageRecorder recorder = new UsageRecorder(publisher, new GatewayMetrics(new SimpleMeterRegistry(), spool),
                QUEUE_CAPACITY, Duration.ofSeconds(10));
        try {
            // Request 1 holds the recorder's thread; 2 to 4 fill its queue; 5 to 20 find it full.
            recorder.record(request(1));
            assertThat(publisher.recorderHeld.await(10, TimeUnit.SECONDS)).isTrue();
            IntStream.rangeClosed(2, REQUESTS).forEach(i -> recorder.record(request(i)));

            assertThat(recorder.measuredByCallers()).isEqualTo(REQUESTS - 1 - QUEUE_CAPACITY);
            List<UsageData> beforeRelease = readTopic(broker, REQUESTS - 1 - QUEUE_CAPACITY);
            assertThat(beforeRelease).extracting(UsageData::requestId)
                    .containsExactlyElementsOf(requestIds(5, REQUESTS));

            publisher.release.countDown();
            List<UsageData> all = readTopic(broker, REQUESTS);

            assertThat(all).extracting(UsageData::requestId).hasSize(REQUESTS)
                    .containsExactlyInAnyOrderElementsOf(requestIds(1, REQUESTS));
            // Prompt i + 100 tokens and 7 completion tokens each: 20 * 100 + (1 + ... + 20) = 2,210 input tokens.
            assertThat(all.stream().mapToLong(data -> data.tokens().input()).sum()).isEqualTo(2_210);
            assertThat(all.stream().mapToLong(data -> data.tokens().output()).sum()).isEqualTo(140);
        } finally {
            publisher.release.countDown();
            recorder.onShutdown(null);
            broker.close();
        }
    }

    private static FinishedRequest request(int number) {
        Buffer answer = Buffer.buffer("{\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                + (100 + number) + ",\"completion_tokens\":7}}");
        return new FinishedRequest("req-" + number, Instant.parse("2026-03-14T09:26:53Z"), KEY,
                MeteredApi.CHAT_COMPLETIONS, "gpt-4o", Buffer.buffer("{}"), 0, false, "simulator", Status.OK, 200, 42,
                7L, new WholeResponse(MeteredApi.CHAT_COMPLETIONS, answer));
    }

    private static List<String> requestIds(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "req-" + i).toList();
    }

    private static KafkaProducer<String, byte[]> producer(LocalKafka broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "0",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    /** Every event on the topic once at least {@code expected} are there, plus any that follow within half a second. */
    private static List<UsageData> readTopic(LocalKafka broker, int expected) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<UsageData> events = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> events.add(decode(record)));
                return events.size() >= expected;
            });
            consumer.poll(Duration.ofMillis(500)).forEach(record -> events.add(decode(record)));
            return events;
        }
    }

    private static UsageData decode(ConsumerRecord<String, byte[]> record) {
        UsageEvent event = UsageEventCodec.decode(record.value());
        assertThat(event.id()).isEqualTo("usage-" + event.data().requestId());
        return event.data();
    }

    /** The real publisher, except that the recorder's own thread stops at its first event until released. */
    private static final class HeldPublisher extends UsagePublisher {

        final CountDownLatch recorderHeld = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HeldPublisher(UsageSpool spool) {
            super(spool);
        }

        @Override
        void publish(UsageEvent event, String requestId) {
            if (Thread.currentThread().getName().equals("tollbooth-usage-recorder") && recorderHeld.getCount() > 0) {
                recorderHeld.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.publish(event, requestId);
        }
    }

    /** A spool on a temporary directory, forced to disk on every append, all events also kept in memory. */
    private record OverflowSpoolConfig(Path directory) implements SpoolConfig {

        @Override
        public Fsync fsync() {
            return Fsync.ALWAYS;
        }

        @Override
        public Duration fsyncInterval() {
            return Duration.ofMillis(100);
        }

        @Override
        public long maxDepth() {
            return 1_000;
        }

        @Override
        public int memoryRecords() {
            return 1_000;
        }

        @Override
        public long segmentBytes() {
            return 1 << 20;
        }

        @Override
        public Duration retryBackoff() {
            return Duration.ofMillis(200);
        }
    }
}

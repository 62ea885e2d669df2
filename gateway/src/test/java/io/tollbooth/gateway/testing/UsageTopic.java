package io.tollbooth.gateway.testing;

import static org.awaitility.Awaitility.await;

import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads the real usage topic from its beginning with a plain Kafka consumer and keeps every record seen, so a
 * test can find the events of its requests, and check that there is only one of each.
 */
public final class UsageTopic {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static UsageTopic shared;

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new ArrayList<>();

    private UsageTopic(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<TopicPartition> partitions = consumer.partitionsFor(UsageEvent.TOPIC).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The topic of the running test application's broker. */
    public static synchronized UsageTopic get() {
        if (shared == null) {
            shared = new UsageTopic(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        }
        return shared;
    }

    /** Waits for the first event of request {@code requestId} and returns its record. */
    public Received awaitEventOf(String requestId) {
        return await().atMost(WAIT).until(() -> first(requestId), record -> record != null);
    }

    /** Every record seen so far whose event belongs to {@code requestId}. */
    public synchronized List<Received> eventsOf(String requestId) {
        poll();
        return received.stream().filter(record -> record.event().data().requestId().equals(requestId)).toList();
    }

    /** Every record seen so far. */
    public synchronized List<Received> all() {
        poll();
        return List.copyOf(received);
    }

    private synchronized Received first(String requestId) {
        List<Received> events = eventsOf(requestId);
        return events.isEmpty() ? null : events.get(0);
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            received.add(new Received(record.key(), record.partition(), record.offset(),
                    UsageEventCodec.decode(record.value())));
        }
    }

    /** One record of the usage topic, its value decoded. */
    public record Received(String key, int partition, long offset, UsageEvent event) {
    }
}

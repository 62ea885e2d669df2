package io.tollbooth.metering;

import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The usage topic of the test broker: publishes records as the gateway does and reads the group's progress. */
public final class UsageTopic implements AutoCloseable {

    public static final String GROUP = "tollbooth-metering";

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;

    public UsageTopic(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Publishes the event keyed by its client, as the gateway does, and waits for the broker's ack. */
    public RecordMetadata publish(UsageEvent event) throws ExecutionException, InterruptedException {
        return publishRaw(UUID.fromString(event.subject()), UsageEventCodec.encode(event));
    }

    /** Publishes any bytes on the client's partition, and waits for the broker's ack. */
    public RecordMetadata publishRaw(UUID clientId, byte[] value) throws ExecutionException, InterruptedException {
        return producer.send(new ProducerRecord<>(UsageEvent.TOPIC, clientId.toString(), value)).get();
    }

    /** Publishes the event to the given partition, whatever its key would choose, and waits for the broker's ack. */
    public RecordMetadata publishTo(int partition, UsageEvent event) throws ExecutionException, InterruptedException {
        return producer.send(new ProducerRecord<>(UsageEvent.TOPIC, partition, event.subject(),
                UsageEventCodec.encode(event))).get();
    }

    /** The partitions the group has assigned to the member with this client id; empty when it has none. */
    public Set<TopicPartition> assignedTo(String clientId) throws ExecutionException, InterruptedException {
        return admin.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP).get().members().stream()
                .filter(member -> member.clientId().equals(clientId))
                .flatMap(member -> member.assignment().topicPartitions().stream())
                .collect(Collectors.toSet());
    }

    /** The offset after the last record of each partition that has records. */
    public Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition : partitions()) {
            latest.put(new TopicPartition(UsageEvent.TOPIC, partition), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .filter(end -> end.getValue().offset() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, end -> end.getValue().offset()));
    }

    /** The metering group's committed offset of each partition it has committed. */
    public Map<TopicPartition, Long> committedOffsets() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get();
        return committed.entrySet().stream()
                .filter(offset -> offset.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, offset -> offset.getValue().offset()));
    }

    /** A record of a topic as read back: its key, value and headers (values of headers as UTF-8 text). */
    public record ReadRecord(int partition, long offset, String key, byte[] value, Map<String, String> headers) {
    }

    /** Every record of {@code topic} with the given key, from the beginning; an empty list when the topic is new. */
    public List<ReadRecord> read(String topic, String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ReadRecord> found = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        Map<String, String> headers = new HashMap<>();
                        record.headers().forEach(header -> headers.put(header.key(),
                                new String(header.value(), StandardCharsets.UTF_8)));
                        found.add(new ReadRecord(record.partition(), record.offset(), record.key(), record.value(),
                                headers));
                    }
                }
            }
            return found;
        }
    }

    private List<Integer> partitions() {
        return producer.partitionsFor(UsageEvent.TOPIC).stream().map(info -> info.partition()).toList();
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}

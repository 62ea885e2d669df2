package io.tollbooth.metering.consumer;

import io.smallrye.common.annotation.Identifier;
import io.tollbooth.metering.MeteringConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Sends the dead letters back to the usage topic after a fix (a client created, a price added, a bug fixed), as
 * they first arrived, so that the consumer stores them like any event. What is replayed is remembered by the
 * replay consumer group: each run replays the letters published since the last one, up to the end the topic had
 * when the run began. A letter that fails again becomes a new dead letter with its new reason.
 */
@ApplicationScoped
public class DeadLetterReplay {

    /** Header on a replayed record: the dead letter it came from, as {@code topic/partition/offset}. */
    public static final String REPLAYED_FROM = "tollbooth-replayed-from";

    private static final Logger LOG = Logger.getLogger(DeadLetterReplay.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final MeteringConfig.Consumer config;
    private final Map<String, Object> kafka;

    public DeadLetterReplay(MeteringConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config.consumer();
        this.kafka = kafka;
    }

    /**
     * Replays every dead letter not replayed yet.
     *
     * @param patience the longest the run may take; it stops early, remembering what it replayed, when exceeded
     * @return how many letters were sent back to the usage topic
     */
    public long replay(Duration patience) {
        DeadLetters.ensureTopic(kafka, config.deadLetterTopic());
        long deadline = System.nanoTime() + patience.toNanos();
        try (KafkaConsumer<String, byte[]> letters = new KafkaConsumer<>(consumerProperties());
                KafkaProducer<String, byte[]> usage = new KafkaProducer<>(DeadLetters.producerProperties(kafka))) {
            List<TopicPartition> partitions = letters.partitionsFor(config.deadLetterTopic()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            letters.assign(partitions);
            Map<TopicPartition, Long> end = letters.endOffsets(partitions);
            long replayed = 0;
            while (!reached(letters, end) && System.nanoTime() < deadline) {
                replayed += replayPoll(letters, usage, end);
            }
            LOG.infof("dead letters replayed: topic=%s to=%s records=%d", config.deadLetterTopic(), config.topic(),
                    replayed);
            return replayed;
        }
    }

    /** Sends one poll's letters below {@code end}, waits for the broker, then commits how far the run got. */
    private long replayPoll(KafkaConsumer<String, byte[]> letters, KafkaProducer<String, byte[]> usage,
            Map<TopicPartition, Long> end) {
        ConsumerRecords<String, byte[]> records = letters.poll(POLL);
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (ConsumerRecord<String, byte[]> letter : records) {
            TopicPartition partition = new TopicPartition(letter.topic(), letter.partition());
            if (letter.offset() >= end.getOrDefault(partition, 0L)) {
                continue;
            }
            sends.add(usage.send(new ProducerRecord<>(config.topic(), null, letter.timestamp(), letter.key(),
                    letter.value(), replayHeaders(letter))));
            done.put(partition, new OffsetAndMetadata(letter.offset() + 1));
        }
        for (Future<RecordMetadata> send : sends) {
            await(send);
        }
        if (!done.isEmpty()) {
            letters.commitSync(done);
        }
        return sends.size();
    }

    private static RecordHeaders replayHeaders(ConsumerRecord<String, byte[]> letter) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!header.key().equals(DeadLetters.REASON) && !header.key().equals(DeadLetters.ORIGIN)
                    && !header.key().equals(REPLAYED_FROM)) {
                headers.add(header);
            }
        }
        headers.add(REPLAYED_FROM, (letter.topic() + "/" + letter.partition() + "/" + letter.offset())
                .getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static boolean reached(KafkaConsumer<String, byte[]> letters, Map<TopicPartition, Long> end) {
        return end.entrySet().stream()
                .allMatch(partition -> letters.position(partition.getKey()) >= partition.getValue());
    }

    private static void await(Future<RecordMetadata> send) {
        try {
            send.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("dead letter not replayed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying dead letters", e);
        }
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> properties = new HashMap<>(kafka);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.replayGroupId());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }
}

package io.tollbooth.metering.consumer;

import io.smallrye.common.annotation.Identifier;
import io.tollbooth.metering.MeteringConfig;
import io.tollbooth.metering.MeteringMetrics;
import io.tollbooth.metering.consumer.PolledBatch.Skipped;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The dead-letter topic: records of the usage topic that metering could not store (unreadable, invalid, for an
 * unknown client, refused by the database) are published there as they arrived, key, value and headers, with why
 * and where they came from in headers of their own. {@link DeadLetterReplay} sends them back after a fix.
 *
 * <p>The consumer publishes a batch's dead letters before it commits the batch's offsets, so none is lost; a batch
 * read again may publish one twice, which is harmless as the ledger stores an event once however often it comes.
 */
@ApplicationScoped
public class DeadLetters {

    /** Header: why the record was not stored. */
    public static final String REASON = "tollbooth-dead-letter-reason";
    /** Header: the topic, partition and offset the record was read from, as {@code topic/partition/offset}. */
    public static final String ORIGIN = "tollbooth-dead-letter-origin";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final String topic;
    private final Map<String, Object> kafka;
    private final AtomicLong published = new AtomicLong();
    private KafkaProducer<String, byte[]> producer;
    private boolean topicChecked;

    private final MeteringMetrics metrics;

    public DeadLetters(MeteringConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            MeteringMetrics metrics) {
        this.topic = config.consumer().deadLetterTopic();
        this.kafka = kafka;
        this.metrics = metrics;
    }

    /** The dead-letter topic's name. */
    public String topic() {
        return topic;
    }

    /** Dead letters this instance has published since it started. */
    public long published() {
        return published.get();
    }

    /**
     * Publishes the records and waits until the broker has every one.
     *
     * @throws IllegalStateException when the broker did not take them all; the caller reads the batch again
     */
    void publish(List<Skipped> skipped) {
        if (skipped.isEmpty()) {
            return;
        }
        KafkaProducer<String, byte[]> sender = producer();
        List<Future<RecordMetadata>> sends = new ArrayList<>(skipped.size());
        for (Skipped letter : skipped) {
            sends.add(sender.send(deadLetter(letter)));
        }
        for (Future<RecordMetadata> send : sends) {
            await(send);
        }
        published.addAndGet(skipped.size());
        skipped.stream().collect(Collectors.groupingBy(Skipped::cause, TreeMap::new, Collectors.counting()))
                .forEach((cause, records) -> metrics.deadLettered(cause, records.intValue()));
    }

    private ProducerRecord<String, byte[]> deadLetter(Skipped letter) {
        ConsumerRecord<String, byte[]> record = letter.record();
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().equals(REASON) && !header.key().equals(ORIGIN)) {
                headers.add(header);
            }
        }
        headers.add(REASON, letter.reason().getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN, (record.topic() + "/" + record.partition() + "/" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(), headers);
    }

    private static void await(Future<RecordMetadata> send) {
        try {
            send.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("dead letter not published: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing dead letters", e);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (!topicChecked) {
            ensureTopic(kafka, topic);
            topicChecked = true;
        }
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties(kafka));
        }
        return producer;
    }

    /** Creates the topic with the broker's default partitions and replication when it does not exist. */
    static void ensureTopic(Map<String, Object> kafka, String topic) {
        try (Admin admin = Admin.create(new HashMap<>(kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all().get();
            LOG.infof("topic created: topic=%s", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }

    /** Producer settings: the application's {@code kafka.*} ones, then those no letter may be lost without. */
    static Map<String, Object> producerProperties(Map<String, Object> kafka) {
        Map<String, Object> properties = new HashMap<>(kafka);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return properties;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}

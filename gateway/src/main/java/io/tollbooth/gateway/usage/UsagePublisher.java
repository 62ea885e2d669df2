package io.tollbooth.gateway.usage;

import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Sends usage events to Kafka topic {@value UsageEvent#TOPIC}, keyed by client id so one client's events stay in
 * order on one partition.
 *
 * <p>The producer is idempotent with {@code acks=all}: a send the client library retries is written once, and an
 * acknowledged event survives the loss of a broker. Any {@code kafka.*} property configures the producer, except
 * these guarantees and the serializers, which cannot be overridden.
 */
@Startup
@ApplicationScoped
public class UsagePublisher {

    private static final Logger LOG = Logger.getLogger(UsagePublisher.class);

    private final KafkaProducer<String, byte[]> producer;

    UsagePublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.remove("group.id");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, UsageEvent.GATEWAY_SOURCE);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(config);
    }

    /**
     * Hands {@code event} to the producer and returns; a failed delivery is logged at ERROR with the request id.
     * May block while the producer waits for metadata or buffer space, so it is called off the event loop.
     */
    void publish(UsageEvent event, String requestId) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(UsageEvent.TOPIC, event.subject(), UsageEventCodec.encode(event));
        // TODO(#3): spool the event durably when Kafka cannot take it; today a failed delivery loses it.
        producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                LOG.errorf(failure, "outcome=usage_publish_failed request_id=%s client=%s event_id=%s", requestId,
                        event.subject(), event.id());
            }
        });
    }

    /** Sends what is buffered, waiting at most {@code timeout}, and closes the producer. */
    void close(Duration timeout) {
        producer.close(timeout);
    }
}

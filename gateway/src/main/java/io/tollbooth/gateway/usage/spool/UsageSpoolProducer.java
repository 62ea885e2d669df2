package io.tollbooth.gateway.usage.spool;

import io.smallrye.common.annotation.Identifier;
import io.tollbooth.usage.event.UsageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Makes the gateway's one {@link UsageSpool}, with its Kafka producer configured from {@code kafka.*}. */
@ApplicationScoped
public class UsageSpoolProducer {

    @Produces
    @Singleton
    UsageSpool spool(SpoolConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        return UsageSpool.toUsageTopic(config, new KafkaProducer<>(producerConfig(kafkaConfig)));
    }

    /**
     * The producer's settings: any {@code kafka.*} property, except that idempotence, {@code acks=all} and the
     * serializers cannot be overridden. A send waits at most 5 s for metadata unless {@code kafka.max.block.ms}
     * says otherwise; only the spool's own thread ever waits.
     */
    static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.remove("group.id");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, UsageEvent.GATEWAY_SOURCE);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }
}

package io.tollbooth.metering.consumer;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.tollbooth.metering.MeteringConfig;
import io.tollbooth.metering.MeteringMetrics;
import io.tollbooth.metering.ledger.UsageLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Runs the usage consumer threads of this instance: starts them when the application starts, if
 * {@code tollbooth.metering.consumer.enabled} is true, and stops them cleanly when it shuts down.
 */
@ApplicationScoped
public class UsageConsumers {

    private static final Logger LOG = Logger.getLogger(UsageConsumers.class);

    private final MeteringConfig.Consumer config;
    private final UsageLedger ledger;
    private final DeadLetters deadLetters;
    private final Map<String, Object> kafka;
    private final List<UsageConsumerWorker> workers = new CopyOnWriteArrayList<>();

    private final MeteringMetrics metrics;

    public UsageConsumers(MeteringConfig config, UsageLedger ledger, DeadLetters deadLetters,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, MeteringMetrics metrics) {
        this.config = config.consumer();
        this.metrics = metrics;
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("usage consumer disabled on this instance: tollbooth.metering.consumer.enabled=false");
            return;
        }
        if (config.threads() < 1 || config.maxPollRecords() < 1) {
            throw new IllegalArgumentException("tollbooth.metering.consumer.threads and .max-poll-records must be at"
                    + " least 1 (set enabled=false to run no consumer)");
        }
        for (int i = 0; i < config.threads(); i++) {
            String name = config.groupId() + "-" + i;
            UsageConsumerWorker worker = new UsageConsumerWorker(name, config.topic(), config.pollTimeout(),
                    () -> new KafkaConsumer<>(consumerProperties(kafka, config, name)), ledger, deadLetters,
                    new RetryBackoff(config.retryInitialBackoff(), config.retryMaxBackoff()));
            metrics.consumerLag(name, worker::lag);
            Thread thread = new Thread(worker, name);
            thread.setDaemon(true);
            workers.add(worker);
            thread.start();
        }
        LOG.infof("usage consumer started: topic=%s group=%s threads=%d", config.topic(), config.groupId(),
                config.threads());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (workers.isEmpty()) {
            return;
        }
        workers.forEach(UsageConsumerWorker::requestStop);
        for (UsageConsumerWorker worker : workers) {
            if (!worker.awaitStopped(config.shutdownTimeout())) {
                LOG.warnf("usage consumer still running at shutdown; its batch will be read again: timeout=%s",
                        config.shutdownTimeout());
            }
        }
        workers.clear();
        LOG.info("usage consumer stopped");
    }

    /** The Kafka consumer settings: the application's {@code kafka.*} ones, then those metering cannot do without. */
    static Map<String, Object> consumerProperties(Map<String, Object> kafka, MeteringConfig.Consumer config,
            String clientId) {
        Map<String, Object> properties = new HashMap<>(kafka);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        // Offsets are committed by hand after the database commit, never in the background.
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group starts at the beginning of the topic: events published before it existed are still billed.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Events of an aborted producer transaction were never published and must not be billed.
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }
}

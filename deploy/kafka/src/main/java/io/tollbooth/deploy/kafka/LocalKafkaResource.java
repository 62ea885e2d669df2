package io.tollbooth.deploy.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts a real local Kafka broker for a Quarkus test and points {@code kafka.bootstrap.servers} at it.
 *
 * <p>Use with {@code @QuarkusTestResource(LocalKafkaResource.class)}. The broker gets a fresh data directory and
 * the usage topic; it is stopped when the test application stops.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    /** The usage topic with three partitions; kept here so tests do not depend on the contract module. */
    static final String USAGE_TOPIC = "tollbooth.usage:3";

    private LocalKafka kafka;

    @Override
    public Map<String, String> start() {
        try {
            Path dataDir = Files.createTempDirectory("tollbooth-kafka-test");
            kafka = LocalKafka.start(dataDir, USAGE_TOPIC);
            return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}

package io.tollbooth.gateway.usage.spool;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.tollbooth.deploy.kafka.LocalKafka;
import io.tollbooth.usage.event.UsageEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The gateway with a Kafka broker of its own, which a test may stop and start again on the same ports and data,
 * a fresh spool directory, and producer timeouts short enough for a send to fail within seconds.
 */
public class OwnKafkaProfile implements QuarkusTestProfile {

    private static final int BROKER_PORT = freePort();
    private static final int CONTROLLER_PORT = freePort();
    private static final Path DATA = temporaryDirectory("tollbooth-own-kafka");
    private static final Path SPOOL = temporaryDirectory("tollbooth-outage-spool");
    private static LocalKafka broker;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + BROKER_PORT,
                "kafka.delivery.timeout.ms", "2000",
                "kafka.request.timeout.ms", "1000",
                "kafka.max.block.ms", "1000",
                "kafka.linger.ms", "0",
                "tollbooth.gateway.usage.spool.directory", SPOOL.toString(),
                "tollbooth.gateway.usage.spool.retry-backoff", "PT0.2S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Broker.class));
    }

    /** The broker's {@code bootstrap.servers}. */
    static String bootstrapServers() {
        return "127.0.0.1:" + BROKER_PORT;
    }

    /** Stops the broker, as an outage would. */
    static synchronized void stopBroker() {
        broker.close();
    }

    /** Starts a new broker on the same ports and data directory. */
    static synchronized void startBroker() {
        broker = LocalKafka.start(DATA, BROKER_PORT, CONTROLLER_PORT, UsageEvent.TOPIC + ":3");
    }

    /** Starts the profile's broker with the application and stops it after. */
    public static class Broker implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            startBroker();
            return Map.of();
        }

        @Override
        public void stop() {
            stopBroker();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

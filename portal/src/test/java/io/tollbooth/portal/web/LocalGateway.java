package io.tollbooth.portal.web;

import io.tollbooth.simulator.SimulatorServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real gateway, started from its packaged build ({@code gateway/target/quarkus-app}) in a process of its own,
 * in front of an in-process inference simulator. It reads keys and models from the test's schema and publishes
 * usage to the test's Kafka broker, so what a page's key does shows up in the control plane under test.
 */
final class LocalGateway implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final SimulatorServer simulator;
    private final Process process;
    private final String url;

    private LocalGateway(SimulatorServer simulator, Process process, String url) {
        this.simulator = simulator;
        this.process = process;
        this.url = url;
    }

    /** Whether the gateway has been packaged; the reactor builds it before this module. */
    static Path packagedApplication() {
        return Path.of(System.getProperty("tollbooth.root", "..")).resolve("gateway/target/quarkus-app/quarkus-run.jar")
                .toAbsolutePath().normalize();
    }

    /**
     * Starts the simulator and the gateway and returns once the gateway is ready.
     *
     * @param schema the PostgreSQL schema (in database {@code test}) the control plane under test migrated
     * @param keyCacheTtl how long the gateway trusts a key it has looked up; short, so a revocation shows soon
     */
    static LocalGateway start(String schema, String bootstrapServers, Duration keyCacheTtl, Path logFile)
            throws IOException {
        return start(schema, bootstrapServers, keyCacheTtl, logFile, Map.of());
    }

    /**
     * {@link #start(String, String, Duration, Path)} with further gateway settings, such as a short
     * {@code tollbooth.gateway.models.cache-ttl} for a test that changes routes.
     */
    static LocalGateway start(String schema, String bootstrapServers, Duration keyCacheTtl, Path logFile,
            Map<String, String> settings) throws IOException {
        SimulatorServer simulator = SimulatorServer.start(0);
        int port = freePort();
        Files.createDirectories(logFile.getParent());
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx192m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/test",
                "-Dquarkus.datasource.reactive.additional-properties.search_path=" + schema,
                "-Dquarkus.datasource.username=postgres",
                "-Dkafka.bootstrap.servers=" + bootstrapServers,
                "-Dtollbooth.gateway.backend.name=simulator",
                "-Dtollbooth.gateway.backend.base-url=http://127.0.0.1:" + simulator.port() + "/v1",
                "-Dtollbooth.gateway.auth.valid-key-ttl=" + keyCacheTtl,
                "-Dtollbooth.gateway.usage.spool.directory=" + logFile.getParent().resolve("gateway-spool")));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", packagedApplication().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start();
        LocalGateway gateway = new LocalGateway(simulator, process, "http://127.0.0.1:" + port);
        try {
            gateway.awaitReady(logFile);
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    /** The base URL; OpenAI clients use {@code url() + "/v1"}. */
    String url() {
        return url;
    }

    private void awaitReady(Path logFile) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause();
        }
        throw new IllegalStateException("the gateway was not ready within " + START_TIMEOUT + "; see " + logFile);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        simulator.close();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}

package io.tollbooth.deploy.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts and stops a real single-node Kafka broker as a child process of the calling JVM.
 *
 * <p>The broker runs from the {@code kafka_2.13} jars that this module's build resolved; the caller needs none of
 * them on its own classpath. The child is destroyed when {@link #close()} is called or the calling JVM exits.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final String bootstrapServers;
    private final Path logFile;

    private LocalKafka(Process process, String bootstrapServers, Path logFile) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.logFile = logFile;
    }

    /**
     * Starts a broker on free local ports, keeping its data in {@code dataDir}, creates the given topics and
     * returns once clients can use it.
     *
     * @param topics topic names, each optionally followed by {@code :partitions} (3 when omitted)
     */
    public static LocalKafka start(Path dataDir, String... topics) {
        return start(dataDir, freePort(), freePort(), topics);
    }

    /** Like {@link #start(Path, String...)}, on the given broker and controller ports. */
    public static LocalKafka start(Path dataDir, int brokerPort, int controllerPort, String... topics) {
        try {
            Files.createDirectories(dataDir);
            Path logFile = dataDir.resolve("kafka.log");
            List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xms128m", "-Xmx512m",
                    "-Djava.util.logging.config.file=" + loggingConfig(dataDir), "-cp", brokerClasspath(),
                    KafkaServerMain.class.getName(), dataDir.toString(), String.valueOf(brokerPort),
                    String.valueOf(controllerPort)));
            command.addAll(List.of(topics));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .start();
            LocalKafka kafka = new LocalKafka(process, "127.0.0.1:" + brokerPort, logFile);
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "local-kafka-stop"));
            kafka.awaitReady();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Kafka broker", e);
        }
    }

    /** The {@code bootstrap.servers} value for clients of this broker. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether the broker process is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the broker and waits for the process to end. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Copies the child's output to its log file and completes when the broker says it is ready. */
    private void awaitReady() throws IOException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pumpOutput(process.getInputStream(), ready), "local-kafka-output");
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while Kafka was starting", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("Kafka did not start within " + START_TIMEOUT + "; see " + logFile, e);
        }
    }

    private void pumpOutput(InputStream output, CompletableFuture<Void> ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                var log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.write(line);
                log.newLine();
                log.flush();
                if (line.startsWith(KafkaServerMain.READY)) {
                    ready.complete(null);
                }
            }
            ready.completeExceptionally(new IllegalStateException("Kafka exited with " + process.waitFor()));
        } catch (IOException | InterruptedException e) {
            ready.completeExceptionally(e);
        }
    }

    private static String brokerClasspath() throws IOException {
        try (InputStream in = LocalKafka.class.getResourceAsStream("broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("broker.classpath is missing: build the tollbooth-local-kafka module");
            }
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return ownLocation() + java.io.File.pathSeparator + dependencies;
        }
    }

    private static String ownLocation() {
        try {
            return Path.of(LocalKafka.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path loggingConfig(Path dataDir) throws IOException {
        Path config = dataDir.resolve("logging.properties");
        Files.writeString(config, String.join("\n",
                "handlers=java.util.logging.ConsoleHandler",
                ".level=WARNING",
                "java.util.logging.ConsoleHandler.level=ALL",
                "java.util.logging.SimpleFormatter.format=%1$tFT%1$tT.%1$tL %4$s %3$s %5$s%6$s%n",
                ""));
        return config;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

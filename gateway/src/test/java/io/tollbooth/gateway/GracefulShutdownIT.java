package io.tollbooth.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollbooth.deploy.kafka.LocalKafka;
import io.tollbooth.gateway.testing.GatewayDatabase;
import io.tollbooth.gateway.testing.Seed;
import io.tollbooth.simulator.SimulatorServer;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway, run as its own process and stopped with SIGTERM while it streams an answer: the stream
 * still reaches its end, and the request's event is in Kafka once, sent by the spool before the process exits.
 */
class GracefulShutdownIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Ten tokens, one every 300 ms: the answer outlasts the moment the gateway is told to stop by about 2.5 s. */
    private static final String STREAM = "{\"model\":\"sim-small\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}],\"simulation\":{\"completion_tokens\":10,\"chunk_delay_ms\":300}}";

    private static final String CONTENT_CHUNK = "\"delta\":{\"content\":";

    @TempDir
    Path work;

    @Test
    void finishesTheOpenStreamAndFlushesItsEventWhenStopped() throws Exception {
        new GatewayDatabase().start();
        LocalKafka kafka = LocalKafka.start(work.resolve("kafka"), UsageEvent.TOPIC + ":3");
        SimulatorServer simulator = SimulatorServer.start(0);
        int port = freePort();
        Process gateway = launch(port, simulator.baseUrl(), kafka.bootstrapServers());
        try {
            awaitReady(port);
            HttpResponse<Stream<String>> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                            .header("Authorization", "Bearer " + Seed.KEY.secret())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(STREAM)).build(),
                    HttpResponse.BodyHandlers.ofLines());
            String requestId = answer.headers().firstValue("x-request-id").orElseThrow();
            List<String> lines = new ArrayList<>();
            Iterator<String> reader = answer.body().iterator();
            while (reader.hasNext() && lines.stream().noneMatch(line -> line.contains(CONTENT_CHUNK))) {
                lines.add(reader.next());
            }

            gateway.destroy();
            reader.forEachRemaining(lines::add);
            boolean exited = gateway.waitFor(60, TimeUnit.SECONDS);
            List<UsageData> events = eventsOf(kafka, requestId);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(lines.stream().filter(line -> line.contains(CONTENT_CHUNK))).hasSize(10);
            assertThat(lines.stream().filter(line -> !line.isEmpty())).last().isEqualTo("data: [DONE]");
            assertThat(exited).isTrue();
            assertThat(Files.readString(work.resolve("gateway.log"))).contains("outcome=usage_spool_flushed");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).status()).isEqualTo(Status.OK);
            assertThat(events.get(0).tokens().output()).isEqualTo(10);
        } finally {
            gateway.destroyForcibly();
            simulator.close();
            kafka.close();
        }
    }

    private Process launch(int port, String simulatorBaseUrl, String kafkaServers) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged gateway").exists();
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dtollbooth.gateway.backend.name=simulator",
                "-Dtollbooth.gateway.backend.base-url=" + simulatorBaseUrl,
                "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/test",
                "-Dquarkus.datasource.reactive.additional-properties.search_path=" + GatewayDatabase.SCHEMA,
                "-Dkafka.bootstrap.servers=" + kafkaServers,
                "-Dtollbooth.gateway.usage.spool.directory=" + work.resolve("spool"),
                "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway.log").toFile())
                .start();
    }

    private static void awaitReady(int port) {
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(WAIT).ignoreExceptions().until(() -> client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** The events of {@code requestId} on the usage topic, read to its end. */
    private static List<UsageData> eventsOf(LocalKafka kafka, String requestId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = List.of(new TopicPartition(UsageEvent.TOPIC, 0),
                    new TopicPartition(UsageEvent.TOPIC, 1), new TopicPartition(UsageEvent.TOPIC, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<UsageData> events = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    UsageData data = UsageEventCodec.decode(record.value()).data();
                    if (data.requestId().equals(requestId)) {
                        events.add(data);
                    }
                });
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
            });
            return events;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

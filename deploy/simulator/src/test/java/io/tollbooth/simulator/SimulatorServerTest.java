package io.tollbooth.simulator;

import static io.tollbooth.simulator.SimulatorClient.chatRequest;
import static io.tollbooth.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Starting, serving on several event loops, and stopping, in-JVM and as a process. */
class SimulatorServerTest {

    @Test
    void startsOnAFreePortAndReportsHealth() {
        try (SimulatorServer server = SimulatorServer.start(0)) {
            HttpResponse<String> health = new SimulatorClient(server).get("/health");

            assertThat(server.port()).isPositive();
            assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/v1");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void listsItsModelsInOpenAisFormat() {
        try (SimulatorServer server = SimulatorServer.start(0)) {
            HttpResponse<String> models = new SimulatorClient(server).get("/v1/models");

            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(json(models.body()).get("object").asText()).isEqualTo("list");
            assertThat(json(models.body()).findValuesAsText("id")).containsExactly("sim-small", "sim-large",
                    "sim-reasoning");
            assertThat(json(models.body()).findValuesAsText("object")).containsOnly("list", "model");
        }
    }

    @Test
    void answersConcurrentRequestsOnEveryEventLoopWithDistinctIds() {
        try (SimulatorServer server = SimulatorServer.start(SimulatorServer.DEFAULT_HOST, 0, 3)) {
            SimulatorClient client = new SimulatorClient(server);

            List<String> ids = IntStream.range(0, 24).parallel()
                    .mapToObj(i -> client.chatOk(chatRequest("Hi")).get("id").asText()).toList();

            assertThat(server.eventLoops()).isEqualTo(3);
            assertThat(ids).doesNotHaveDuplicates().hasSize(24);
        }
    }

    @Test
    void stopsListeningWhenClosed() {
        SimulatorServer server = SimulatorServer.start(0);
        SimulatorClient client = new SimulatorClient(server);

        server.close();

        assertThatThrownBy(() -> client.get("/health")).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void refusesToStartOnAPortInUse() {
        try (SimulatorServer first = SimulatorServer.start(0)) {
            assertThatThrownBy(() -> SimulatorServer.start(first.port())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void runsFromTheCommandLineAndStopsOnSigterm() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--port", "0", "--event-loops", "1").redirectErrorStream(true).start();
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            int port = readyPort(output);
            SimulatorClient client = new SimulatorClient(port);
            assertThat(client.get("/health").statusCode()).isEqualTo(200);

            process.destroy();

            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(143);
            assertThatThrownBy(() -> client.get("/health"))
                    .hasCauseInstanceOf(ConnectException.class);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void readsItsCommandLine() {
        assertThat(Main.Options.parse()).isEqualTo(new Main.Options(SimulatorServer.DEFAULT_HOST,
                Main.DEFAULT_PORT, Runtime.getRuntime().availableProcessors()));
        assertThat(Main.Options.parse("--port", "9000", "--host", "0.0.0.0", "--event-loops", "4"))
                .isEqualTo(new Main.Options("0.0.0.0", 9000, 4));
        assertThatThrownBy(() -> Main.Options.parse("--port", "http")).hasMessageContaining("--port");
        assertThatThrownBy(() -> Main.Options.parse("--port")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Main.Options.parse("--verbose")).hasMessageContaining("unknown option");
    }

    /** The port announced by the process's ready line. */
    private static int readyPort(BufferedReader output) throws IOException {
        Pattern ready = Pattern.compile("simulator ready port=(\\d+) ");
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            Matcher matcher = ready.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("the simulator exited without a ready line");
    }
}

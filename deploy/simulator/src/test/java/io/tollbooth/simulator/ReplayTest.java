package io.tollbooth.simulator;

import static io.tollbooth.simulator.SimulatorClient.chatRequest;
import static io.tollbooth.simulator.SimulatorClient.json;
import static io.tollbooth.simulator.SimulatorClient.withPlan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Registered replays answer, byte for byte, any request that names them, on any path and in any body shape. */
class ReplayTest {

    /** An Anthropic stream whose last event has no blank line after it, as some captures end. */
    private static final String ANTHROPIC_STREAM = "event: message_start\n"
            + "data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":11,\"output_tokens\":1}}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}";
    private static final String MULTIPART_BOUNDARY = "----tollbooth-test";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SimulatorServer server;
    private static SimulatorClient client;

    @BeforeAll
    static void startSimulator() {
        server = SimulatorServer.start(0);
        client = new SimulatorClient(server);
    }

    @AfterAll
    static void stopSimulator() {
        server.close();
    }

    @Test
    void answersAChatCompletionNamingAReplayWithItsExactBytesStatusAndContentType() {
        register("anthropic-basic", "text/event-stream; charset=utf-8", ANTHROPIC_STREAM, "");
        ObjectNode request = withPlan(chatRequest("Hi"), SimulationPlan.DEFAULT.withReplay("anthropic-basic"));

        HttpResponse<String> response = client.chat(request);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(response.body()).isEqualTo(ANTHROPIC_STREAM);
    }

    @Test
    void answersAnyOtherPathWhoseJsonBodyNamesAReplay() {
        register("ollama-load", "application/json", "{\"done_reason\":\"load\",\"done\":true}", "?status=201");

        HttpResponse<String> response = client.post("/api/chat",
                "{\"model\":\"llama3.2\",\"messages\":[],\"simulation\":{\"replay\":\"ollama-load\"}}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"done_reason\":\"load\",\"done\":true}");
    }

    @Test
    void findsTheReplayOfAMultipartBodyInItsSimulationField() {
        register("transcription", "application/json", "{\"text\":\"hi\",\"usage\":{\"type\":\"duration\","
                + "\"seconds\":9}}", "");
        String body = part("file\"; filename=\"a.wav", "RIFF....WAVE")
                + part("model", "whisper-1")
                + part(SimulationPlan.FIELD, "{\"replay\":\"transcription\"}")
                + "--" + MULTIPART_BOUNDARY + "--\r\n";

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/audio/transcriptions"))
                .header("Content-Type", "multipart/form-data; boundary=" + MULTIPART_BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"text\":\"hi\",\"usage\":{\"type\":\"duration\",\"seconds\":9}}");
    }

    @Test
    void writesTheBytesInPiecesOfTheRegisteredSize() throws IOException {
        register("in-pieces", "text/event-stream", ANTHROPIC_STREAM, "?chunk_bytes=5&chunk_delay_ms=1");
        ObjectNode request = withPlan(chatRequest("Hi"), SimulationPlan.DEFAULT.withReplay("in-pieces"));

        HttpResponse<InputStream> response = sendForStream(request.toString());

        try (InputStream body = response.body()) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(ANTHROPIC_STREAM);
        }
        assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
    }

    @Test
    void refusesARequestNamingAnUnknownReplay() {
        HttpResponse<String> response = client.chat(withPlan(chatRequest("Hi"),
                SimulationPlan.DEFAULT.withReplay("never-registered")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body())).isEqualTo(json("{'error':{'message':"
                + "'No replay is registered as \\'never-registered\\'.','type':'invalid_request_error',"
                + "'param':'simulation.replay','code':null}}"));
    }

    @Test
    void stillAnswersAnUnknownPathWithoutAReplayWith404() {
        HttpResponse<String> response = client.post("/v1/responses", "{\"model\":\"sim-small\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response.body()).at("/error/message").asText())
                .isEqualTo("Unknown request URL: POST /v1/responses.");
    }

    @Test
    void refusesARegistrationWithoutAContentType() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/_simulator/replays/no-type"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/message").asText())
                .isEqualTo("A replay needs the Content-Type to answer with.");
    }

    @Test
    void reportsThePlansPromptTokensInsteadOfItsOwnCount() {
        ObjectNode request = withPlan(chatRequest("Hi"), SimulationPlan.DEFAULT.withPromptTokens(1_200)
                .withCachedTokens(1_000).withCompletionTokens(2));

        assertThat(client.chatOk(request).get("usage")).isEqualTo(json("{'prompt_tokens':1200,"
                + "'completion_tokens':2,'total_tokens':1202,'prompt_tokens_details':{'cached_tokens':1000},"
                + "'completion_tokens_details':{'reasoning_tokens':0}}"));
    }

    private static void register(String name, String contentType, String body, String query) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/_simulator/replays/" + name + query))
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private static String part(String name, String value) {
        return "--" + MULTIPART_BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n";
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<InputStream> sendForStream(String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

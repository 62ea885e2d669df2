package io.tollbooth.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Talks to a simulator over real HTTP and builds the requests and expected JSON the tests compare. */
final class SimulatorClient {

    /** Reads answers, and expected values written with single quotes to keep them short. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    SimulatorClient(SimulatorServer server) {
        this(server.port());
    }

    SimulatorClient(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** A chat request for model {@code sim-small} with one user message per content. */
    static ObjectNode chatRequest(String... userContents) {
        ObjectNode request = JSON.createObjectNode().put("model", "sim-small");
        for (String content : userContents) {
            request.withArray("messages").addObject().put("role", "user").put("content", content);
        }
        return request;
    }

    /** {@code request} with {@code plan} as its {@code simulation} object. */
    static ObjectNode withPlan(ObjectNode request, SimulationPlan plan) {
        return request.set(SimulationPlan.FIELD, JSON.valueToTree(plan.toJsonMap()));
    }

    /** {@code request} streamed, with {@code stream_options.include_usage} as given. */
    static ObjectNode streamed(ObjectNode request, boolean includeUsage) {
        request.put("stream", true).putObject("stream_options").put("include_usage", includeUsage);
        return request;
    }

    /** Parses JSON written with single quotes. */
    static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    HttpResponse<String> chat(JsonNode request) {
        return post("/v1/chat/completions", request.toString());
    }

    /** The body of a successful non-streaming answer. */
    JsonNode chatOk(JsonNode request) {
        HttpResponse<String> response = chat(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return read(response.body());
    }

    /**
     * The data of each server-sent event of a successful stream, in order, after checking that the body is
     * exactly a sequence of {@code data: ...\n\n} events.
     */
    List<String> streamData(JsonNode request) {
        HttpResponse<String> response = chat(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        return sseData(response.body());
    }

    /** Sends {@code request} and returns its body line by line as it arrives. */
    HttpResponse<Stream<String>> openStream(JsonNode request) {
        return send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), BodyHandlers.ofLines());
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), BodyHandlers.ofString());
    }

    static List<String> sseData(String body) {
        assertThat(body).endsWith("\n\n");
        List<String> data = new ArrayList<>();
        for (String event : body.substring(0, body.length() - 2).split("\n\n", -1)) {
            assertThat(event).startsWith("data: ").doesNotContain("\n");
            data.add(event.substring("data: ".length()));
        }
        return data;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

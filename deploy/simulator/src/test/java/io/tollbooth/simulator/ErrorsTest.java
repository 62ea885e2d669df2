package io.tollbooth.simulator;

import static io.tollbooth.simulator.SimulatorClient.chatRequest;
import static io.tollbooth.simulator.SimulatorClient.json;
import static io.tollbooth.simulator.SimulatorClient.streamed;
import static io.tollbooth.simulator.SimulatorClient.withPlan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Simulated failures and bad input, each answered with a status and OpenAI's error JSON. */
class ErrorsTest {

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
    void answersTheStatusThePlanAsksForWithAServerError() {
        ObjectNode request = withPlan(chatRequest("Hi"), SimulationPlan.DEFAULT.withStatus(500));

        HttpResponse<String> response = client.chat(request);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(json(response.body())).isEqualTo(json("{'error':{'message':'Simulated failure with status 500.',"
                + "'type':'server_error','param':null,'code':null}}"));
    }

    @Test
    void answersARateLimitTheWayOpenAiDoes() {
        ObjectNode request = withPlan(chatRequest("Hi"), SimulationPlan.DEFAULT.withStatus(429));

        HttpResponse<String> response = client.chat(request);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(json(response.body())).isEqualTo(json("{'error':{'message':'Simulated failure with status 429.',"
                + "'type':'requests','param':null,'code':'rate_limit_exceeded'}}"));
    }

    @Test
    void answersAFailedStreamWithJsonBeforeAnyEvent() {
        ObjectNode request = withPlan(streamed(chatRequest("Hi"), true), SimulationPlan.DEFAULT.withStatus(503));

        HttpResponse<String> response = client.chat(request);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).startsWith("{\"error\":").doesNotContain("data:");
    }

    @Test
    void rejectsMalformedJsonWithOpenAisErrorJson() {
        String truncated = "{\"model\": \"sim-small\", \"messages\": [";

        HttpResponse<String> response = client.post("/v1/chat/completions", truncated);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error\":{\"message\":\"We could not parse the JSON body of your "
                + "request.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
    }

    @Test
    void rejectsAnEmptyBodyAsMalformed() {
        HttpResponse<String> response = client.post("/v1/chat/completions", "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/message").asText())
                .isEqualTo("We could not parse the JSON body of your request.");
    }

    @Test
    void rejectsABodyThatIsNotAnObject() {
        HttpResponse<String> response = client.post("/v1/chat/completions", "[1, 2]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/message").asText())
                .isEqualTo("The request body must be a JSON object.");
    }

    @Test
    void rejectsTrailingGarbageAfterTheJsonObject() {
        HttpResponse<String> response = client.post("/v1/chat/completions", chatRequest("Hi") + " {}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void rejectsARequestWithoutMessages() {
        HttpResponse<String> response = client.post("/v1/chat/completions", "{\"model\":\"sim-small\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("messages");
    }

    @Test
    void rejectsARequestWithoutModel() {
        HttpResponse<String> response = client.post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("model");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {'completion_tokens': -1}            | simulation.completion_tokens
            {'completion_tokens': 'many'}        | simulation.completion_tokens
            {'completion_tokens': 2.5}           | simulation.completion_tokens
            {'cached_tokens': 5}                 | simulation.cached_tokens
            {'reasoning_tokens': 17}             | simulation.reasoning_tokens
            {'first_token_delay_ms': -5}         | simulation.first_token_delay_ms
            {'chunk_delay_ms': true}             | simulation.chunk_delay_ms
            {'status': 200}                      | simulation.status
            {'omit_usage': 'yes'}                | simulation.omit_usage
            {'usage_on_finish_chunk': 1}         | simulation.usage_on_finish_chunk
            {'served_model': ''}                 | simulation.served_model
            []                                   | simulation
            """)
    void rejectsAnInvalidPlanNamingTheField(String plan, String param) {
        ObjectNode request = chatRequest("Hi");
        request.set(SimulationPlan.FIELD, json(plan));

        HttpResponse<String> response = client.chat(request);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).isEqualTo(param);
        assertThat(error.get("code").isNull()).isTrue();
    }

    @Test
    void acceptsCachedTokensUpToTheWholePrompt() {
        ObjectNode request = chatRequest("Hi");
        request.putObject(SimulationPlan.FIELD).put("cached_tokens", 4);

        assertThat(client.chatOk(request).at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void answersAnUnknownPathWith404() {
        HttpResponse<String> response = client.get("/v1/completions/unknown");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void answersAWrongMethodWith405() {
        HttpResponse<String> response = client.get("/v1/chat/completions");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }
}

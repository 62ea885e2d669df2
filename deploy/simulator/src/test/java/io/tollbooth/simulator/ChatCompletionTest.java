package io.tollbooth.simulator;

import static io.tollbooth.simulator.SimulatorClient.chatRequest;
import static io.tollbooth.simulator.SimulatorClient.json;
import static io.tollbooth.simulator.SimulatorClient.withPlan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Non-streaming chat completions: the exact answer and usage for each kind of plan. */
class ChatCompletionTest {

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
    void answersSixteenDeterministicWordsWithExactUsageByDefault() {
        ObjectNode request = chatRequest("Hello, world!");
        request.withArray("messages").insertObject(0).put("role", "system").put("content", "You are terse.");

        JsonNode answer = client.chatOk(request);

        assertThat(answer.get("id").asText()).startsWith("chatcmpl-sim-");
        assertThat(answer.get("object").asText()).isEqualTo("chat.completion");
        assertThat(answer.get("created").asLong()).isPositive();
        assertThat(answer.get("model").asText()).isEqualTo("sim-small");
        assertThat(answer.get("choices")).isEqualTo(json("[{'index':0,'message':{'role':'assistant',"
                + "'content':'Tollbooth simulates a deterministic answer with one word for every token it streams"
                + " to the caller','refusal':null},'logprobs':null,'finish_reason':'stop'}]"));
        assertThat(answer.get("usage")).isEqualTo(usage(14, 16, 0, 0));
        assertThat(answer.at("/usage/total_tokens").asInt()).isEqualTo(30);
    }

    @Test
    void countsTheTextOfContentPartsAndNothingForOtherParts() {
        ObjectNode request = chatRequest();
        ObjectNode message = request.withArray("messages").addObject().put("role", "user");
        message.withArray("content").addObject().put("type", "text").put("text", "What is this?");
        message.withArray("content").addObject().put("type", "image_url").putObject("image_url")
                .put("url", "https://example.com/a.png");
        request.withArray("messages").addObject().put("role", "assistant").putNull("content");

        JsonNode answer = client.chatOk(request);

        assertThat(answer.at("/usage/prompt_tokens").asInt()).isEqualTo(4 + 3 + 3);
    }

    @Test
    void capsTheAnswerAtMaxTokensWithFinishReasonLength() {
        ObjectNode request = chatRequest("Hello, world!").put("max_tokens", 3);

        JsonNode answer = client.chatOk(request);

        assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("Tollbooth simulates a");
        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(answer.get("usage")).isEqualTo(usage(7, 3, 0, 0));
    }

    @Test
    void prefersMaxCompletionTokensOverMaxTokens() {
        ObjectNode request = chatRequest("Hello, world!").put("max_tokens", 3).put("max_completion_tokens", 5);

        JsonNode answer = client.chatOk(request);

        assertThat(answer.at("/usage/completion_tokens").asInt()).isEqualTo(5);
        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void stopsNormallyWhenThePlanFitsWithinMaxTokens() {
        ObjectNode request = withPlan(chatRequest("Hello, world!").put("max_tokens", 4),
                SimulationPlan.DEFAULT.withCompletionTokens(4));

        JsonNode answer = client.chatOk(request);

        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(answer.at("/usage/completion_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void reportsCachedAndReasoningTokensWithReasoningHiddenFromTheContent() {
        ObjectNode request = withPlan(chatRequest("Hello, world!"),
                SimulationPlan.DEFAULT.withCompletionTokens(10).withCachedTokens(5).withReasoningTokens(6));

        JsonNode answer = client.chatOk(request);

        assertThat(answer.at("/choices/0/message/content").asText())
                .isEqualTo("Tollbooth simulates a deterministic");
        assertThat(answer.get("usage")).isEqualTo(usage(7, 10, 5, 6));
    }

    @Test
    void capsReasoningAtTheTokensActuallyGenerated() {
        ObjectNode request = withPlan(chatRequest("Hello, world!").put("max_completion_tokens", 4),
                SimulationPlan.DEFAULT.withCompletionTokens(10).withReasoningTokens(6));

        JsonNode answer = client.chatOk(request);

        assertThat(answer.at("/choices/0/message/content").asText()).isEmpty();
        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(answer.get("usage")).isEqualTo(usage(7, 4, 0, 4));
    }

    @Test
    void answersEmptyContentForZeroCompletionTokens() {
        JsonNode answer = client.chatOk(withPlan(chatRequest("Hi"), SimulationPlan.DEFAULT.withCompletionTokens(0)));

        assertThat(answer.at("/choices/0/message/content").asText()).isEmpty();
        assertThat(answer.get("usage")).isEqualTo(usage(4, 0, 0, 0));
    }

    @Test
    void reportsTheServedModelInsteadOfTheRequestedOne() {
        JsonNode answer = client.chatOk(withPlan(chatRequest("Hi"),
                SimulationPlan.DEFAULT.withServedModel("sim-large-2026-01-01")));

        assertThat(answer.get("model").asText()).isEqualTo("sim-large-2026-01-01");
    }

    @Test
    void omitsUsageWhenThePlanSaysSo() {
        JsonNode answer = client.chatOk(withPlan(chatRequest("Hi"), SimulationPlan.DEFAULT.withOmitUsage(true)));

        assertThat(answer.has("usage")).isFalse();
        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void ignoresFieldsItDoesNotSimulate() {
        ObjectNode request = chatRequest("Hi").put("temperature", 0.2).put("n", 1).put("user", "u-1");
        request.putObject(SimulationPlan.FIELD).put("completion_tokens", 2).put("future_knob", "x");
        request.putArray("tools").addObject().put("type", "function");

        JsonNode answer = client.chatOk(request);

        assertThat(answer.get("usage")).isEqualTo(usage(4, 2, 0, 0));
    }

    @Test
    void numbersEveryAnswerWithItsOwnId() {
        String first = client.chatOk(chatRequest("Hi")).get("id").asText();
        String second = client.chatOk(chatRequest("Hi")).get("id").asText();

        assertThat(first).isNotEqualTo(second);
    }

    static JsonNode usage(int prompt, int completion, int cached, int reasoning) {
        return json("{'prompt_tokens':" + prompt + ",'completion_tokens':" + completion + ",'total_tokens':"
                + (prompt + completion) + ",'prompt_tokens_details':{'cached_tokens':" + cached
                + "},'completion_tokens_details':{'reasoning_tokens':" + reasoning + "}}");
    }
}

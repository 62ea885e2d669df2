package io.tollbooth.gateway.usage;

import static io.tollbooth.gateway.testing.WireSamples.sharedBytes;
import static io.tollbooth.gateway.testing.WireSamples.sharedJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.CaptureSeed;
import io.tollbooth.gateway.testing.PlanT;
import io.tollbooth.gateway.testing.RawHttp;
import io.tollbooth.gateway.testing.Replayed;
import io.tollbooth.gateway.testing.UsageTopic;
import io.tollbooth.simulator.SimulatedTokenizer;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageData.UsageSource;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The gateway's field cases 1 to 4, 6 and 7 (shared/cases/CASES.md), each through the real gateway with the
 * simulator replaying the case's upstream answer and the usage event read back from Kafka. The costs are metering's
 * to compute; here the token split is asserted, and {@link PlanT} shows it yields the case's amount.
 */
@QuarkusTest
class FieldCasesTest {

    private static final String EVENT_STREAM = "text/event-stream";
    private static final String JSON = "application/json";
    private static final String CHAT = "/v1/chat/completions";
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @TestHTTPResource("/")
    URL gateway;

    // Case 1: a usage chunk whose choices are not empty.

    @Test
    void case1TakesUsageWithCachedTokensFromATerminalChunkWithChoices() {
        byte[] sse = sharedJson("issue_captures/openai_compat_terminal_chunk_nonempty_choices_with_cached_tokens.json")
                .path("sse").asText().getBytes(StandardCharsets.UTF_8);

        Replayed call = chatStream("case1-terminal-chunk", sse, true);

        assertThat(call.answer().body()).isEqualTo(sse);
        assertReported(call.usage(), new TokenCounts(239, 15_872, 0, 2, 0));
        assertThat(PlanT.cost("gpt-4o", call.usage().tokens())).isEqualByComparingTo("0.0204575");
    }

    @Test
    void case1TakesUsageFromAnMlxChunkWithAnEmptyDelta() {
        String chunk = sharedJson("issue_captures/mlx_server_usage_chunk_nonempty_choices.json").path("chunk")
                .toString();
        byte[] sse = ("data: " + chunk + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);

        Replayed asked = chatStream("case1-mlx", sse, true);
        Replayed unasked = chatStream("case1-mlx", sse, false);

        assertThat(asked.answer().body()).isEqualTo(sse);
        assertThat(unasked.answer().text()).isEqualTo("data: [DONE]\n\n");
        assertReported(asked.usage(), new TokenCounts(1, 64, 0, 251, 0));
        assertReported(unasked.usage(), new TokenCounts(1, 64, 0, 251, 0));
    }

    // Case 2: Anthropic's message_delta usage is cumulative.

    @Test
    void case2aTakesTheDeltasOutputInsteadOfAddingTheStarts() {
        Replayed call = messages("case2a", sharedBytes("anthropic/anthropic_stream_basic_text.sse"));

        assertReported(call.usage(), new TokenCounts(11, 0, 0, 6, 0));
        assertThat(PlanT.cost("claude-sonnet", call.usage().tokens())).isEqualByComparingTo("0.000123");
    }

    @Test
    void case2bTakesTheLatestOfEveryCounterNeverTheirSum() {
        Replayed call = messages("case2b",
                sharedBytes("anthropic/anthropic_stream_message_delta_cumulative_cache_fields.sse"));

        assertReported(call.usage(), new TokenCounts(40, 7, 12, 8, 3));
        assertThat(PlanT.cost("claude-sonnet", call.usage().tokens())).isEqualByComparingTo("0.0002871");
    }

    @Test
    void case2cCountsARepeatedInputOnce() {
        String deltaLine = sharedJson("issue_captures/anthropic_message_delta_repeats_input_tokens_live.json")
                .path("sse_line").asText()
                // The capture elides the delta as {...}; the server sent a stop reason there.
                .replace("\"delta\":{...}", "\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null}");
        String sse = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_case2c\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\","
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":27,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n"
                + deltaLine + "\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

        Replayed call = messages("case2c", sse.getBytes(StandardCharsets.UTF_8));

        assertReported(call.usage(), new TokenCounts(27, 0, 0, 47, 0));
    }

    // Case 3: streams that carry usage only when asked.

    @Test
    void case3aAsksForUsageOnAStreamThatDidNotAndHidesIt() {
        RawHttp.Answer answer = simulatedStream(HI + ",\"stream\":true");
        UsageData usage = eventOf(answer);

        assertThat(answer.text()).doesNotContain("\"usage\":{").endsWith("data: [DONE]\n\n");
        assertReported(usage, TokenCounts.of(SimulatedTokenizer.promptTokens("hi"), 6));
    }

    @Test
    void case3bAsksForUsageWhenStreamOptionsAreEmptyAndHidesIt() {
        RawHttp.Answer answer = simulatedStream(HI + ",\"stream\":true,\"stream_options\":{}");

        assertThat(answer.text()).doesNotContain("\"usage\":{").endsWith("data: [DONE]\n\n");
        assertReported(eventOf(answer), TokenCounts.of(SimulatedTokenizer.promptTokens("hi"), 6));
    }

    @Test
    void case3cPassesExactlyOneUsageChunkRightBeforeDone() {
        RawHttp.Answer answer = simulatedStream(HI + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}");

        assertThat(answer.text().split("\"usage\":\\{", -1)).hasSize(2);
        assertThat(answer.text()).containsPattern("data: \\{[^\\n]*\"choices\":\\[\\][^\\n]*"
                + "\"usage\":\\{[^\\n]*\\}\\n\\n"
                + "data: \\[DONE\\]\\n\\n$");
        assertReported(eventOf(answer), TokenCounts.of(SimulatedTokenizer.promptTokens("hi"), 6));
    }

    @Test
    void case3dEstimatesABackendThatIgnoresTheUsageRequest() {
        RawHttp.Answer answer = simulatedStream(HI + ",\"stream\":true,\"simulation\":{\"completion_tokens\":6,"
                + "\"omit_usage\":true}");
        UsageData usage = eventOf(answer);

        assertThat(usage.usageSource()).isEqualTo(UsageSource.ESTIMATED);
        // jtokkit (o200k_base): 3 + (3 + "user" 1 + "hi" 1) for the prompt; the simulator's six words,
        // "Tollbooth simulates a deterministic answer with", are 10 of its tokens. Never a silent 0.
        assertThat(answer.text()).contains("\"content\":\" with\"").doesNotContain("\"usage\":{");
        assertThat(usage.tokens()).isEqualTo(TokenCounts.of(8, 10));
    }

    // Case 4: the Responses API's usage.

    @Test
    void case4TakesAStreamedResponsesUsageOnceFromItsTerminalEvent() {
        Replayed call = Replayed.call(gateway, "/v1/responses",
                "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"stream\":true}",
                "case4-stream", sharedBytes("openai/openai_responses_streaming_spec_example.sse"), EVENT_STREAM);

        assertReported(call.usage(), new TokenCounts(37, 0, 0, 11, 0));
        assertThat(PlanT.cost("gpt-4o", call.usage().tokens())).isEqualByComparingTo("0.0002025");
    }

    @Test
    void case4KeepsReasoningInsideTheOutputOfAResponse() {
        Replayed call = Replayed.call(gateway, "/v1/responses", "{\"model\":\"o4-mini\",\"input\":\"hi\"}",
                "case4-reasoning", sharedBytes("openai/openai_responses_reasoning_spec_example.json"), JSON);

        assertReported(call.usage(), new TokenCounts(81, 0, 0, 1035, 832));
        assertThat(PlanT.cost("o4-mini", call.usage().tokens())).isEqualByComparingTo("0.0046431");
    }

    @Test
    void case4MapsTheInputsCachedTokensToCachedInput() {
        ObjectNode response = (ObjectNode) sharedJson("openai/openai_responses_text_input_spec_example.json");
        ObjectNode usage = (ObjectNode) response.path("usage");
        usage.put("input_tokens", 2006);
        ((ObjectNode) usage.path("input_tokens_details")).put("cached_tokens", 1920);

        Replayed call = Replayed.call(gateway, "/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"hi\"}",
                "case4-cached", response.toString().getBytes(StandardCharsets.UTF_8), JSON);

        assertReported(call.usage(), new TokenCounts(86, 1920, 0, 87, 0));
    }

    // Case 6: a provider's cost of 0 never replaces the tokens.

    @Test
    void case6MetersAStreamWithAZeroProviderCostLikeTheSameAnswerWhole() {
        String usage = "{\"prompt_tokens\":1200,\"completion_tokens\":300,\"total_tokens\":1500";
        byte[] whole = ("{\"id\":\"chatcmpl-case6\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":" + usage + "}}").getBytes(StandardCharsets.UTF_8);
        byte[] stream = ("data: {\"id\":\"chatcmpl-case6\",\"object\":\"chat.completion.chunk\",\"created\":0,"
                + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
                + "data: {\"id\":\"chatcmpl-case6\",\"object\":\"chat.completion.chunk\",\"created\":0,"
                + "\"model\":\"gpt-4o\",\"choices\":[],\"usage\":" + usage + ",\"cost\":0}}\n\ndata: [DONE]\n\n")
                .getBytes(StandardCharsets.UTF_8);

        Replayed nonStreamed = Replayed.call(gateway, CHAT, "{\"model\":\"gpt-4o\"," + HI + ",\"stream\":false}",
                "case6-whole", whole, JSON);
        Replayed streamed = chatStream("case6-stream", stream, true);

        assertReported(nonStreamed.usage(), TokenCounts.of(1200, 300));
        assertReported(streamed.usage(), TokenCounts.of(1200, 300));
        assertThat(streamed.usage().reportedCost()).isEqualByComparingTo("0");
        assertThat(nonStreamed.usage().reportedCost()).isNull();
        assertThat(PlanT.cost("gpt-4o", streamed.usage().tokens())).isEqualByComparingTo("0.006");
        assertThat(PlanT.cost("gpt-4o", nonStreamed.usage().tokens())).isEqualByComparingTo("0.006");
    }

    // Case 7: Ollama drops or zeroes the prompt count of a cached prompt.

    @Test
    void case7BillsACachedPromptAtTheCountOfItsFirstTurn() {
        ObjectNode first = (ObjectNode) sharedJson("ollama/ollama_api_chat_nonstream_docs_example.json");
        // The case gives eval_count 282 (the docs' streamed example); the docs' non-streamed one says 298.
        first.put("eval_count", 282);
        ObjectNode second = first.deepCopy();
        second.remove("prompt_eval_count");
        ObjectNode openAiZero = (ObjectNode) sharedJson("ollama/llamastack_rec_ollama_v1_chat_nonstream.json")
                .path("response");
        ((ObjectNode) openAiZero.path("usage")).put("prompt_tokens", 0).put("completion_tokens", 282);
        String request = "{\"model\":\"local-llama\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"why is the sky blue?\"}],\"stream\":false}";

        UsageData counted = Replayed.call(gateway, "/api/chat", request, "case7-first", bytes(first), JSON).usage();
        UsageData omitted = Replayed.call(gateway, "/api/chat", request, "case7-second", bytes(second), JSON).usage();
        UsageData zeroed = Replayed.call(gateway, CHAT, request, "case7-openai-zero", bytes(openAiZero), JSON).usage();

        assertReported(counted, TokenCounts.of(26, 282));
        for (UsageData cached : new UsageData[] {omitted, zeroed}) {
            assertThat(cached.tokens()).isEqualTo(TokenCounts.of(26, 282));
            assertThat(cached.usageSource()).isEqualTo(UsageSource.ESTIMATED);
            assertThat(PlanT.cost("local-llama", cached.tokens())).isEqualByComparingTo("0.0001744");
        }
        assertThat(PlanT.cost("local-llama", counted.tokens())).isEqualByComparingTo("0.0001744");
    }

    @Test
    void case7CountsAZeroedPromptItselfWhenItNeverSawItCounted() {
        ObjectNode zeroed = (ObjectNode) sharedJson("ollama/ollama_api_chat_nonstream_docs_example.json");
        zeroed.put("prompt_eval_count", 0);
        String request = "{\"model\":\"local-llama\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"a prompt never counted before\"}],\"stream\":false}";

        UsageData usage = Replayed.call(gateway, "/api/chat", request, "case7-fresh", bytes(zeroed), JSON).usage();

        // jtokkit (o200k_base): 3 + (3 + "user" 1 + "a prompt never counted before" 5).
        assertThat(usage.tokens()).isEqualTo(TokenCounts.of(12, 298));
        assertThat(usage.usageSource()).isEqualTo(UsageSource.ESTIMATED);
    }

    @Test
    void case7BillsNobodyForAModelLoad() {
        byte[] load = sharedBytes("ollama/ollama_api_chat_load_model_no_token_counts_docs_example.json");

        RawHttp.Answer loaded = Replayed.send(gateway, "/api/chat", "{\"model\":\"local-llama\",\"messages\":[]}",
                "case7-load", load, JSON);
        UsageData marker = Replayed.call(gateway, "/api/chat", "{\"model\":\"local-llama\"," + HI
                + ",\"stream\":false}", "case7-marker",
                sharedBytes("ollama/ollama_api_chat_nonstream_docs_example.json"),
                JSON).usage();

        assertThat(loaded.status()).isEqualTo(200);
        assertThat(marker.status()).isEqualTo(Status.OK);
        assertThat(UsageTopic.get().eventsOf(loaded.requestId())).isEmpty();
    }

    private Replayed chatStream(String name, byte[] sse, boolean askForUsage) {
        String options = askForUsage ? ",\"stream_options\":{\"include_usage\":true}" : "";
        return Replayed.call(gateway, CHAT, "{\"model\":\"gpt-4o\"," + HI + ",\"stream\":true" + options + "}", name,
                sse, EVENT_STREAM);
    }

    private Replayed messages(String name, byte[] sse) {
        return Replayed.call(gateway, "/v1/messages", "{\"model\":\"claude-sonnet\",\"max_tokens\":1024," + HI
                + ",\"stream\":true}", name, sse, EVENT_STREAM, "x-api-key", CaptureSeed.KEY.secret(),
                "anthropic-version", "2023-06-01");
    }

    /** A stream the simulator generates (six words unless the fields say otherwise), as the caller received it. */
    private RawHttp.Answer simulatedStream(String fields) {
        CaptureSeed.ensure();
        String plan = fields.contains("\"simulation\"") ? "" : ",\"simulation\":{\"completion_tokens\":6}";
        RawHttp.Answer answer = RawHttp.send(URI.create(gateway + "v1/chat/completions"), JSON,
                ("{\"model\":\"gpt-4o\"," + fields + plan + "}").getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + CaptureSeed.KEY.secret());
        assertThat(answer.status()).isEqualTo(200);
        return answer;
    }

    private static UsageData eventOf(RawHttp.Answer answer) {
        return UsageTopic.get().awaitEventOf(answer.requestId()).event().data();
    }

    private static byte[] bytes(ObjectNode json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void assertReported(UsageData usage, TokenCounts tokens) {
        assertThat(usage.tokens()).isEqualTo(tokens);
        assertThat(usage.usageSource()).isEqualTo(UsageSource.REPORTED);
        assertThat(usage.status()).isEqualTo(Status.OK);
    }
}

package io.tollbooth.gateway.usage;

import static io.tollbooth.gateway.testing.WireSamples.sharedBytes;
import static io.tollbooth.gateway.testing.WireSamples.sharedJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.CaptureSeed;
import io.tollbooth.gateway.testing.Replays;
import io.tollbooth.gateway.testing.UsageTopic;
import io.tollbooth.gateway.testing.WireSamples;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK calls every OpenAI endpoint of the gateway, answered by recorded wire samples: it
 * parses what the gateway passes on as it would the backend's own answer, and sees the same counts the event got.
 */
@QuarkusTest
class OpenAiSdkReplayTest {

    @TestHTTPResource("/v1")
    URL gatewayUrl;

    private OpenAIClient openAi;

    @BeforeEach
    void connect() {
        CaptureSeed.ensure();
        openAi = OpenAIOkHttpClient.builder().baseUrl(gatewayUrl.toString()).apiKey(CaptureSeed.KEY.secret())
                .maxRetries(0).build();
    }

    @Test
    void streamsARecordedChatCompletionWithCachedTokens() {
        String recording = "openai/llamastack_rec_openai_gpt4o_stream_cached_tokens_1024.json";
        Replays.register("sdk-chat-cached", WireSamples.sseOfChunks(sharedJson(recording).path("response"))
                .getBytes(StandardCharsets.UTF_8), "text/event-stream");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("hi")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .putAdditionalBodyProperty("simulation", replay("sdk-chat-cached")).build();

        List<ChatCompletionChunk> chunks;
        String requestId;
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> response =
                openAi.chat().completions().withRawResponse().createStreaming(params);
                StreamResponse<ChatCompletionChunk> stream = response.parse()) {
            requestId = response.headers().values("x-request-id").get(0);
            chunks = stream.stream().toList();
        }
        UsageData usage = UsageTopic.get().awaitEventOf(requestId).event().data();

        var reported = chunks.get(chunks.size() - 1).usage().orElseThrow();
        assertThat(reported.promptTokens()).isEqualTo(1043);
        assertThat(reported.promptTokensDetails().orElseThrow().cachedTokens()).contains(1024L);
        assertThat(usage.tokens()).isEqualTo(new TokenCounts(19, 1024, 0, 35, 0));
    }

    @Test
    void createsRecordedEmbeddings() {
        Replays.register("sdk-embeddings", sharedJson("openai/llamastack_rec_openai_embeddings_3small.json")
                .path("response").toString().getBytes(StandardCharsets.UTF_8), "application/json");
        EmbeddingCreateParams params = EmbeddingCreateParams.builder().model("text-embedding-3-small")
                .input("revenue").putAdditionalBodyProperty("simulation", replay("sdk-embeddings")).build();

        HttpResponseFor<CreateEmbeddingResponse> response = openAi.embeddings().withRawResponse().create(params);
        CreateEmbeddingResponse embeddings = response.parse();
        UsageData usage = eventOf(response.headers().values("x-request-id"));

        assertThat(embeddings.usage().promptTokens()).isEqualTo(17);
        assertThat(embeddings.data()).isNotEmpty();
        assertThat(usage.tokens()).isEqualTo(new TokenCounts(17, 0, 0, 0, 0));
    }

    @Test
    void createsTheReferenceCompletion() {
        Replays.register("sdk-completion", sharedBytes("openai/openai_completions_response_spec_example.json"),
                "application/json");
        CompletionCreateParams params = CompletionCreateParams.builder().model("gpt-4o").prompt("Say this is a test")
                .putAdditionalBodyProperty("simulation", replay("sdk-completion")).build();

        HttpResponseFor<Completion> response = openAi.completions().withRawResponse().create(params);
        Completion completion = response.parse();
        UsageData usage = eventOf(response.headers().values("x-request-id"));

        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(7);
        assertThat(usage.tokens()).isEqualTo(new TokenCounts(5, 0, 0, 7, 0));
    }

    @Test
    void createsTheReferenceReasoningResponse() {
        Replays.register("sdk-response", sharedBytes("openai/openai_responses_reasoning_spec_example.json"),
                "application/json");
        ResponseCreateParams params = ResponseCreateParams.builder().model("o4-mini").input("hi")
                .putAdditionalBodyProperty("simulation", replay("sdk-response")).build();

        HttpResponseFor<Response> response = openAi.responses().withRawResponse().create(params);
        Response parsed = response.parse();
        UsageData usage = eventOf(response.headers().values("x-request-id"));

        assertThat(parsed.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(832);
        assertThat(usage.tokens()).isEqualTo(new TokenCounts(81, 0, 0, 1035, 832));
    }

    @Test
    void streamsTheReferenceResponse() {
        // The reference example stops right after its last event's data line; a server ends that event with a
        // blank line, without which an SSE reader (the SDK's too) drops it.
        byte[] terminated = (new String(sharedBytes("openai/openai_responses_streaming_spec_example.sse"),
                StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        Replays.register("sdk-response-stream", terminated, "text/event-stream");
        ResponseCreateParams params = ResponseCreateParams.builder().model("gpt-4o").input("hi")
                .putAdditionalBodyProperty("simulation", replay("sdk-response-stream")).build();

        List<ResponseStreamEvent> events;
        String requestId;
        try (HttpResponseFor<StreamResponse<ResponseStreamEvent>> response =
                openAi.responses().withRawResponse().createStreaming(params);
                StreamResponse<ResponseStreamEvent> stream = response.parse()) {
            requestId = response.headers().values("x-request-id").get(0);
            events = stream.stream().toList();
        }
        UsageData usage = UsageTopic.get().awaitEventOf(requestId).event().data();

        assertThat(events).hasSize(9);
        ResponseStreamEvent completed = events.get(8);
        assertThat(completed.isCompleted()).isTrue();
        assertThat(completed.asCompleted().response().usage().orElseThrow().inputTokens()).isEqualTo(37);
        assertThat(usage.tokens()).isEqualTo(new TokenCounts(37, 0, 0, 11, 0));
    }

    private static JsonValue replay(String name) {
        return JsonValue.from(Map.of("replay", name));
    }

    private static UsageData eventOf(List<String> requestIdHeader) {
        assertThat(requestIdHeader).hasSize(1);
        return UsageTopic.get().awaitEventOf(requestIdHeader.get(0)).event().data();
    }
}

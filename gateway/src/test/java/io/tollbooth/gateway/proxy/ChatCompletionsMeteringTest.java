package io.tollbooth.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.FixedClock;
import io.tollbooth.gateway.testing.Seed;
import io.tollbooth.gateway.testing.UsageTopic;
import io.tollbooth.simulator.SimulatedTokenizer;
import io.tollbooth.simulator.SimulationPlan;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageData.UsageSource;
import io.tollbooth.usage.event.UsageEvent;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK calls the gateway; each call's one usage event is read back from Kafka. */
@QuarkusTest
class ChatCompletionsMeteringTest {

    private static final String PROMPT = "Say hello to Tollbooth.";
    /** The simulator counts 3 tokens per message plus one per word or punctuation mark. */
    private static final long PROMPT_TOKENS = SimulatedTokenizer.promptTokens(PROMPT);
    /** jtokkit (o200k_base) on the prompt with OpenAI's chat framing: 3 + (3 + "user" 1 + text 7). */
    private static final long ESTIMATED_PROMPT_TOKENS = 14;
    /** jtokkit (o200k_base) on the simulator's 16-word answer. */
    private static final long ESTIMATED_ANSWER_TOKENS = 20;

    @TestHTTPResource("/v1")
    URL gatewayUrl;

    private OpenAIClient openAi;

    @BeforeEach
    void connect() {
        openAi = OpenAIOkHttpClient.builder().baseUrl(gatewayUrl.toString()).apiKey(Seed.KEY.secret())
                .maxRetries(0).build();
    }

    @Test
    void metersANonStreamedCompletionWithTheBackendsExactCounts() {
        HttpResponseFor<ChatCompletion> response = openAi.chat().completions().withRawResponse()
                .create(params(SimulationPlan.DEFAULT.withCompletionTokens(12)));
        ChatCompletion completion = response.parse();
        String requestId = requestId(response.headers().values("x-request-id"));

        UsageTopic.Received received = UsageTopic.get().awaitEventOf(requestId);

        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(PROMPT_TOKENS);
        assertThat(received.key()).isEqualTo(Seed.CLIENT.toString());
        UsageEvent event = received.event();
        assertThat(event.id()).isEqualTo("usage-" + requestId);
        assertThat(event.source()).isEqualTo(UsageEvent.GATEWAY_SOURCE);
        assertThat(event.subject()).isEqualTo(Seed.CLIENT.toString());
        assertThat(event.time()).isEqualTo(FixedClock.NOW);
        UsageData data = event.data();
        assertThat(data.tokens()).isEqualTo(TokenCounts.of(PROMPT_TOKENS, 12));
        assertThat(data.status()).isEqualTo(Status.OK);
        assertThat(data.usageSource()).isEqualTo(UsageSource.REPORTED);
        assertThat(data.apiKeyId()).isEqualTo(Seed.KEY.id().toString());
        assertThat(data.apiKeyPrefix()).isEqualTo(Seed.KEY.prefix());
        assertThat(data.endpoint()).isEqualTo("chat.completions");
        assertThat(data.requestedModel()).isEqualTo(Seed.MODEL);
        assertThat(data.servedModel()).isEqualTo(Seed.MODEL);
        assertThat(data.backend()).isEqualTo("simulator");
        assertThat(data.stream()).isFalse();
        assertThat(data.timeToFirstTokenMs()).isNotNull();
    }

    @Test
    void metersAStreamThatAskedForUsageAndPassesTheUsageChunkOn() {
        ChatCompletionCreateParams params = params(SimulationPlan.DEFAULT.withCompletionTokens(5)).toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

        Streamed streamed = stream(params);
        UsageData data = UsageTopic.get().awaitEventOf(streamed.requestId()).event().data();

        ChatCompletionChunk last = streamed.chunks().get(streamed.chunks().size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(5);
        assertThat(streamed.chunks().stream().filter(chunk -> chunk.usage().isPresent())).hasSize(1);
        assertThat(data.tokens()).isEqualTo(TokenCounts.of(PROMPT_TOKENS, 5));
        assertThat(data.stream()).isTrue();
        assertThat(data.status()).isEqualTo(Status.OK);
    }

    @Test
    void metersAStreamThatDidNotAskForUsageWithoutShowingItTheUsage() {
        Streamed streamed = stream(params(SimulationPlan.DEFAULT.withCompletionTokens(7)));
        UsageData data = UsageTopic.get().awaitEventOf(streamed.requestId()).event().data();

        assertThat(streamed.chunks()).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
        assertThat(streamed.content()).isEqualTo("Tollbooth simulates a deterministic answer with one");
        assertThat(data.tokens()).isEqualTo(TokenCounts.of(PROMPT_TOKENS, 7));
        assertThat(data.usageSource()).isEqualTo(UsageSource.REPORTED);
    }

    @Test
    void splitsCachedTokensOutOfTheInput() {
        // 15 prompt tokens by the simulator's count (3 + 12 words and marks), 10 of them read from the cache.
        String prompt = "Tollbooth meters every token that passes through it, exactly once.";
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(Seed.MODEL)
                .addUserMessage(prompt)
                .putAdditionalBodyProperty(SimulationPlan.FIELD,
                        JsonValue.from(SimulationPlan.DEFAULT.withCachedTokens(10).withCompletionTokens(3)
                                .toJsonMap()))
                .build();

        Streamed streamed = stream(params);
        UsageData data = UsageTopic.get().awaitEventOf(streamed.requestId()).event().data();

        assertThat(data.tokens()).isEqualTo(new TokenCounts(5, 10, 0, 3, 0));
    }

    @Test
    void keepsReasoningTokensInsideTheOutput() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sim-reasoning")
                .addUserMessage(PROMPT)
                .putAdditionalBodyProperty(SimulationPlan.FIELD, JsonValue.from(SimulationPlan.DEFAULT
                        .withCompletionTokens(10).withReasoningTokens(4).toJsonMap()))
                .build();

        HttpResponseFor<ChatCompletion> response = openAi.chat().completions().withRawResponse().create(params);
        UsageData data = UsageTopic.get().awaitEventOf(requestId(response.headers().values("x-request-id")))
                .event().data();

        assertThat(data.tokens()).isEqualTo(new TokenCounts(PROMPT_TOKENS, 0, 0, 10, 4));
        assertThat(data.requestedModel()).isEqualTo("sim-reasoning");
    }

    @Test
    void takesUsageFromTheFinishChunkWhenItRidesThere() {
        Streamed streamed = stream(params(SimulationPlan.DEFAULT.withCompletionTokens(4).withUsageOnFinishChunk(true)
                .withServedModel("sim-small-2026-03")));
        UsageData data = UsageTopic.get().awaitEventOf(streamed.requestId()).event().data();

        assertThat(data.tokens()).isEqualTo(TokenCounts.of(PROMPT_TOKENS, 4));
        assertThat(data.usageSource()).isEqualTo(UsageSource.REPORTED);
        assertThat(data.servedModel()).isEqualTo("sim-small-2026-03");
    }

    @Test
    void estimatesAStreamWhoseBackendReportsNoUsage() {
        Streamed streamed = stream(params(SimulationPlan.DEFAULT.withOmitUsage(true)));
        UsageData data = UsageTopic.get().awaitEventOf(streamed.requestId()).event().data();

        assertThat(data.tokens()).isEqualTo(TokenCounts.of(ESTIMATED_PROMPT_TOKENS, ESTIMATED_ANSWER_TOKENS));
        assertThat(data.usageSource()).isEqualTo(UsageSource.ESTIMATED);
        assertThat(data.status()).isEqualTo(Status.OK);
    }

    @Test
    void estimatesACompletionWhoseBackendReportsNoUsage() {
        HttpResponseFor<ChatCompletion> response = openAi.chat().completions().withRawResponse()
                .create(params(SimulationPlan.DEFAULT.withOmitUsage(true)));
        UsageData data = UsageTopic.get().awaitEventOf(requestId(response.headers().values("x-request-id")))
                .event().data();

        assertThat(data.tokens()).isEqualTo(TokenCounts.of(ESTIMATED_PROMPT_TOKENS, ESTIMATED_ANSWER_TOKENS));
        assertThat(data.usageSource()).isEqualTo(UsageSource.ESTIMATED);
    }

    private Streamed stream(ChatCompletionCreateParams params) {
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> response =
                openAi.chat().completions().withRawResponse().createStreaming(params);
                StreamResponse<ChatCompletionChunk> chunks = response.parse()) {
            return new Streamed(requestId(response.headers().values("x-request-id")), chunks.stream().toList());
        }
    }

    private static ChatCompletionCreateParams params(SimulationPlan plan) {
        return ChatCompletionCreateParams.builder()
                .model(Seed.MODEL)
                .addUserMessage(PROMPT)
                .putAdditionalBodyProperty(SimulationPlan.FIELD, JsonValue.from(plan.toJsonMap()))
                .build();
    }

    private static String requestId(List<String> header) {
        assertThat(header).hasSize(1);
        return header.get(0);
    }

    /** A stream as the SDK read it. */
    private record Streamed(String requestId, List<ChatCompletionChunk> chunks) {

        String content() {
            StringBuilder content = new StringBuilder();
            for (ChatCompletionChunk chunk : chunks) {
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(content::append));
            }
            return content.toString();
        }
    }
}

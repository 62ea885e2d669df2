package io.tollbooth.deploy.local;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Sends real traffic through the gateway with the official OpenAI Java SDK, as a client company's application
 * would: plain and streamed chat completions, with and without usage on the stream, on a cloud and a local model.
 *
 * <p>The simulator behind the gateway reads the {@code simulation} body field to decide how many tokens to
 * produce; a seeded random source keeps every run's traffic the same.
 */
final class DemoTraffic {

    private static final String SYSTEM_PROMPT = "You are a concise assistant for an engineering team. Answer in "
            + "plain English, cite the relevant section of the runbook when one applies, and say when you are "
            + "unsure instead of guessing. Keep answers under two hundred words unless asked for more detail.";

    private static final List<String> QUESTIONS = List.of(
            "How do I rotate the database credentials without downtime?",
            "Summarise yesterday's incident report in three bullet points.",
            "Which dashboards show the queue depth of the ingestion service?",
            "Draft a short status update for the migration project.",
            "What is the rollback procedure for a failed deploy?");

    private final String gatewayUrl;
    private final Random random;

    DemoTraffic(String gatewayUrl, long seed) {
        this.gatewayUrl = gatewayUrl + "/v1";
        this.random = new Random(seed);
    }

    /** Sends {@code requests} requests with the given key and returns how many were answered. */
    int send(String apiKey, int requests) {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(gatewayUrl)
                .apiKey(apiKey)
                .maxRetries(0)
                .build();
        try {
            int answered = 0;
            for (int i = 0; i < requests; i++) {
                answered += sendOne(client, i);
            }
            return answered;
        } finally {
            client.close();
        }
    }

    private int sendOne(OpenAIClient client, int index) {
        String model = index % 3 == 2 ? DemoTenants.LOCAL_MODEL : DemoTenants.CLOUD_MODEL;
        int completionTokens = 1_000 + random.nextInt(7_000);
        boolean cacheHit = model.equals(DemoTenants.CLOUD_MODEL) && index % 4 == 1;
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(SYSTEM_PROMPT)
                .addUserMessage(QUESTIONS.get(random.nextInt(QUESTIONS.size())))
                .maxCompletionTokens(16_000L)
                .putAdditionalBodyProperty("simulation", JsonValue.from(Map.of(
                        "completion_tokens", completionTokens,
                        "cached_tokens", cacheHit ? 32 : 0)));
        switch (index % 4) {
            case 0, 1 -> {
                ChatCompletion completion = client.chat().completions().create(params.build());
                return completion.choices().isEmpty() ? 0 : 1;
            }
            case 2 -> {
                params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
                return stream(client, params.build());
            }
            default -> {
                return stream(client, params.build());
            }
        }
    }

    private static int stream(OpenAIClient client, ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            long chunks = stream.stream().count();
            return chunks > 0 ? 1 : 0;
        }
    }
}

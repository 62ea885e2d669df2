package io.tollbooth.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.FixedClock;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Case 12: a burst of parallel requests through the gateway cannot overshoot a budget, because admission reserves
 * each request's worst case before any spend is recorded.
 */
@QuarkusTest
class BudgetBurstTest {

    /**
     * A prompt that counts 200 tokens both ways: jtokkit (o200k_base) 3 + (3 + "user" 1 + 193), the simulator
     * 3 + 197 ("don't" is one o200k token and three simulator tokens).
     */
    private static final String PROMPT_OF_200_TOKENS = "hello" + " hello".repeat(190) + " don't".repeat(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/v1/chat/completions")
    URL chatCompletions;

    @Inject
    Counters counters;

    @Test
    void admitsOnlyTheRequestsWhoseWorstCaseFitsTheBudgetAndSettlesTheirActualSpend() {
        // PLAN-T at 0 % markup, $0.0100 left. Worst case of each request: 200 × 2.50 + 300 × 10.00 per 1M = $0.0035;
        // actual: 200 × 2.50 + 150 × 10.00 per 1M = $0.0020. Streams answer their head at once and their content
        // 3 s later, so all eight are judged while the admitted ones are still in flight.
        warmUpTheTokenizer();
        Tenants.Tenant tenant = Tenants.create().clientLimits(null, null, null, "0.0100");
        String body = new JsonObject()
                .put("model", Tenants.GPT_4O)
                .put("messages", List.of(new JsonObject().put("role", "user").put("content", PROMPT_OF_200_TOKENS)))
                .put("max_tokens", 300)
                .put("stream", true)
                .put("simulation", new JsonObject().put("completion_tokens", 150).put("first_token_delay_ms", 3000))
                .encode();

        List<CompletableFuture<HttpResponse<InputStream>>> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(HTTP.sendAsync(post(tenant.key().secret(), body), HttpResponse.BodyHandlers.ofInputStream()));
        }
        List<HttpResponse<InputStream>> heads = burst.stream().map(CompletableFuture::join).toList();
        List<Response> responses = heads.stream().map(Response::readToEnd).toList();

        assertThat(responses).filteredOn(response -> response.status() == 200).hasSize(2);
        List<Response> refused = responses.stream().filter(response -> response.status() == 429).toList();
        assertThat(refused).hasSize(6).allSatisfy(response -> {
            JsonObject error = new JsonObject(response.body()).getJsonObject("error");
            assertThat(error.getString("code")).isEqualTo("budget_exceeded");
            assertThat(error.getString("type")).isEqualTo("insufficient_quota");
            // Spent alone leaves room: the reservations of requests in flight will settle, so retry soon.
            assertThat(response.retryAfter()).isEqualTo("1");
        });
        assertThat(new JsonObject(refused.get(0).body()).getJsonObject("error").getString("message")).isEqualTo(
                "Budget exceeded for this client in billing period 2026-03: the request may cost up to 0.0035 USD "
                        + "and 0.003 USD of the budget of 0.01 USD is left.");
        // After settlement: spend $0.004 (2 × $0.0020) in nano-dollars, nothing reserved, nothing in flight.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(clientUsage(tenant))
                .isEqualTo(new Counters.Usage(2, 700, 0, 4_000_000, 0)));
    }

    /** One request that loads gpt-4o's encoding, so the burst is not held up by the first load. */
    private void warmUpTheTokenizer() {
        Tenants.Tenant warmUp = Tenants.create().clientLimits(null, 100_000L, null, null);
        String hi = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"simulation\":{\"completion_tokens\":1}}";
        assertThat(HTTP.sendAsync(post(warmUp.key().secret(), hi), HttpResponse.BodyHandlers.ofString()).join()
                .statusCode()).isEqualTo(200);
    }

    private Counters.Usage clientUsage(Tenants.Tenant tenant) {
        long now = FixedClock.NOW.toEpochMilli();
        return Requests.await(counters.peek(tenant.client().toString(), "c", now - now % 60_000, "2026-03", now),
                Duration.ofSeconds(5));
    }

    /** A response read to its end. */
    private record Response(int status, String retryAfter, String body) {

        static Response readToEnd(HttpResponse<InputStream> head) {
            try (InputStream in = head.body()) {
                return new Response(head.statusCode(), head.headers().firstValue("retry-after").orElse(null),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private HttpRequest post(String key, String body) {
        return HttpRequest.newBuilder(URI.create(chatCompletions.toString()))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}

package io.tollbooth.gateway.limits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.FixedClock;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A refused request gets OpenAI's 429: error JSON, {@code Retry-After} and the {@code x-ratelimit-*} headers. */
@QuarkusTest
class RateLimitResponsesTest {

    private static final String HI = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"max_tokens\":12,\"simulation\":{\"completion_tokens\":2}}";

    @Inject
    Counters counters;

    @Test
    void answersTheThirdRequestOfAMinuteOverAKeyLimitOfTwoWithOpenAisRateLimitResponse() {
        Tenants.Tenant tenant = Tenants.create();
        tenant.clientLimits(10, 1000L, null, null).keyLimits(tenant.key(), 2, null, null, null);

        post(tenant).then().statusCode(200);
        post(tenant).then().statusCode(200);
        // Each reserved 8 + 12 tokens and used 4 + 2 (the simulator's count): 12 once both are settled.
        long now = FixedClock.NOW.toEpochMilli();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Requests.await(counters.peek(
                tenant.client().toString(), "c", now - now % 60_000, "2026-03", now), Duration.ofSeconds(5))
                .tokens() == 12);

        // The gateway's clock stands at 09:26:53, 7 s before the window ends.
        post(tenant).then()
                .statusCode(429)
                .header("retry-after", "7")
                .header("x-ratelimit-limit-requests", "2")
                .header("x-ratelimit-remaining-requests", "0")
                .header("x-ratelimit-reset-requests", "7s")
                .header("x-ratelimit-limit-tokens", "1000")
                .header("x-ratelimit-remaining-tokens", "988")
                .header("x-ratelimit-reset-tokens", "7s")
                .body("error.type", equalTo("requests"))
                .body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.param", nullValue())
                .body("error.message", equalTo("Rate limit reached for requests per min (RPM) on this API key: "
                        + "Limit 2, Used 2, Requested 1. Please try again in 7s."));
    }

    private static io.restassured.response.Response post(Tenants.Tenant tenant) {
        return given().header("Authorization", "Bearer " + tenant.key().secret()).contentType("application/json")
                .body(HI).post("/v1/chat/completions");
    }
}

package io.tollbooth.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.usage.event.TokenCounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Case 13: concurrent requests never blow through a tokens-per-minute limit, sequential ones are never throttled
 * early, and the window resets after 60 s. Run against both counter stores.
 */
@QuarkusTest
class TokensPerMinuteTest {

    private static final Instant START = Instant.parse("2026-03-14T09:26:53Z");

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void admitsAConcurrentBurstOnlyUpToTheTokensPerMinute(boolean redis) {
        Tenants.Tenant tenant = Tenants.create();
        tenant.keyLimits(tenant.key(), null, 100L, null, null);
        AdmissionControl control = replica(redis, new MovableClock(START));

        // Estimated sizes 58, 80, 175, 175, 175: "hi" (8 tokens) plus max_tokens.
        List<Future<Admission>> burst = new ArrayList<>();
        for (long maxTokens : new long[] {50, 72, 167, 167, 167}) {
            burst.add(control.admit(Requests.key(tenant, tenant.key()), Tenants.GPT_4O, Requests.hi(maxTokens),
                    Requests.newRequestId()));
        }
        List<Requests.Outcome> outcomes = burst.stream().map(Requests::await).toList();

        assertThat(outcomes.subList(0, 2)).filteredOn(Requests.Outcome::admitted).hasSize(1);
        assertThat(outcomes.subList(2, 5)).allSatisfy(outcome -> {
            assertThat(outcome.admitted()).isFalse();
            assertThat(outcome.refusal().error()).isEqualTo(GatewayError.TOKEN_RATE_LIMIT_EXCEEDED);
            assertThat(outcome.refusal().error().httpStatus()).isEqualTo(429);
            // The window of 09:26:00 ends 7 s after 09:26:53.
            assertThat(outcome.refusal().headers()).containsEntry("retry-after", "7")
                    .containsEntry("x-ratelimit-limit-tokens", "100")
                    .containsEntry("x-ratelimit-reset-tokens", "7s");
        });
        Requests.Outcome refusedSmall = outcomes.get(0).admitted() ? outcomes.get(1) : outcomes.get(0);
        assertThat(refusedSmall.refusal().error()).isEqualTo(GatewayError.TOKEN_RATE_LIMIT_EXCEEDED);
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void neverThrottlesSequentialRequestsBelowTheLimitAndResetsAfterSixtySeconds(boolean redis) {
        Tenants.Tenant tenant = Tenants.create();
        tenant.keyLimits(tenant.key(), null, 100L, null, null);
        MovableClock clock = new MovableClock(START);
        AdmissionControl control = replica(redis, clock);

        // 30 + 30 + 35 = 95 tokens, each settled at exactly its estimate.
        for (long maxTokens : new long[] {22, 22, 27}) {
            Requests.Outcome outcome = admit(control, tenant, maxTokens);
            assertThat(outcome.code()).isEqualTo("admitted");
            Requests.await(outcome.admission().settle(TokenCounts.of(Requests.HI_PROMPT_TOKENS, maxTokens), true),
                    Duration.ofSeconds(5));
        }
        Requests.Outcome overLimit = admit(control, tenant, 1);
        clock.advance(Duration.ofSeconds(60));
        Requests.Outcome nextMinute = admit(control, tenant, 1);

        assertThat(overLimit.refusal().headers()).containsEntry("x-ratelimit-remaining-tokens", "5")
                .containsEntry("retry-after", "7");
        assertThat(nextMinute.code()).isEqualTo("admitted");
    }

    private Requests.Outcome admit(AdmissionControl control, Tenants.Tenant tenant, long maxTokens) {
        return Requests.await(control.admit(Requests.key(tenant, tenant.key()), Tenants.GPT_4O,
                Requests.hi(maxTokens), Requests.newRequestId()));
    }

    private AdmissionControl replica(boolean redis, MovableClock clock) {
        return redis ? Replica.withRedis(vertx, pool, clock) : Replica.inProcess(vertx, pool, clock);
    }
}

package io.tollbooth.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.tollbooth.gateway.testing.FixedClock;
import io.tollbooth.usage.event.TokenCounts;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Case 14 through the real request path: the gateway (counters in Redis) and a second replica share one budget
 * counter, seeded once from the ledger.
 */
@QuarkusTest
@TestProfile(RedisLimitsProfile.class)
class SharedCountersHttpTest {

    private static final String HI = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"max_tokens\":100,\"simulation\":{\"prompt_tokens\":8,\"completion_tokens\":50}}";

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Inject
    Counters counters;

    @Test
    void bothReplicasAdmitAgainstOneSeededSpendAndAddTheirCharges() {
        Tenants.Tenant tenant = Tenants.create();
        tenant.keyLimits(tenant.key(), null, null, null, "20.00").rated(tenant.key(), "14.00",
                Instant.parse("2026-03-02T08:00:00Z"));
        AdmissionControl otherReplica = Replica.withRedis(vertx, pool, new MovableClock(FixedClock.NOW));

        Requests.Outcome viaOther = Requests.await(otherReplica.admit(Requests.key(tenant, tenant.key()),
                Tenants.GPT_4O, Requests.hi(100), Requests.newRequestId()));
        int status = RestAssured.given().header("Authorization", "Bearer " + tenant.key().secret())
                .contentType("application/json").body(HI).post("/v1/chat/completions").statusCode();
        Requests.await(viaOther.admission().settle(TokenCounts.of(8, 50), true), Duration.ofSeconds(5));

        assertThat(status).isEqualTo(200);
        // $14.00 + 2 × (8 × 2.50 + 50 × 10.00 per 1M) = $14.00104, in nano-dollars.
        long now = FixedClock.NOW.toEpochMilli();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Requests.await(counters.peek(
                tenant.client().toString(), "k:" + tenant.key().id(), now - now % 60_000, "2026-03", now),
                Duration.ofSeconds(5)).spentUnits()).isEqualTo(14_001_040_000L));
    }
}

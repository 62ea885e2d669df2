package io.tollbooth.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.Seed;
import io.tollbooth.usage.event.TokenCounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Case 14: two gateway replicas (each with its own caches and Redis client) share their counters in one real
 * Redis. Re-seeding an expired spend counter is idempotent, and a budget holds on the combined spend.
 */
@QuarkusTest
class SharedCountersTest {

    private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Test
    void reseedsAnExpiredSpendOnceWhenTwoReplicasAdmitAtTheSameInstant() {
        // Key budget $20.00 with $14.00 already rated this month; no spend counter in Redis (expired).
        Tenants.Tenant tenant = Tenants.create();
        tenant.keyLimits(tenant.key(), null, null, null, "20.00").rated(tenant.key(), "14.00",
                Instant.parse("2026-03-02T08:00:00Z"));
        MovableClock clock = new MovableClock(NOW);
        AdmissionControl first = Replica.withRedis(vertx, pool, clock);
        AdmissionControl second = Replica.withRedis(vertx, pool, clock);

        Future<Admission> one = first.admit(Requests.key(tenant, tenant.key()), Tenants.GPT_4O, Requests.hi(100),
                Requests.newRequestId());
        Future<Admission> two = second.admit(Requests.key(tenant, tenant.key()), Tenants.GPT_4O, Requests.hi(100),
                Requests.newRequestId());
        Requests.Outcome oneAdmitted = Requests.await(one);
        Requests.Outcome twoAdmitted = Requests.await(two);
        // $14.00 seeded once, never twice ($28.00).
        assertThat(spendOf(tenant, tenant.key())).isEqualTo("14000000000");

        // Each actual request: 8 × 2.50 + 50 × 10.00 per 1M = $0.00052.
        Requests.await(oneAdmitted.admission().settle(TokenCounts.of(8, 50), true), WAIT);
        Requests.await(twoAdmitted.admission().settle(TokenCounts.of(8, 50), true), WAIT);

        assertThat(oneAdmitted.admitted()).isTrue();
        assertThat(twoAdmitted.admitted()).isTrue();
        // $14.00 + 2 × $0.00052 = $14.00104, in nano-dollars.
        assertThat(spendOf(tenant, tenant.key())).isEqualTo("14001040000");
    }

    @Test
    void seedingFromTwoReplicasAtOnceLeavesTheLedgerValueNotItsDouble() {
        Tenants.Tenant tenant = Tenants.create();
        RedisCounters a = new RedisCounters(Redis.createClient(vertx, "redis://127.0.0.1:6379"), Replica.RUN_PREFIX);
        RedisCounters b = new RedisCounters(Redis.createClient(vertx, "redis://127.0.0.1:6379"), Replica.RUN_PREFIX);
        String scope = "k:" + tenant.key().id();

        Requests.await(Future.all(
                a.seed(tenant.client().toString(), scope, "2026-03", 14_000_000_000L, 60_000),
                b.seed(tenant.client().toString(), scope, "2026-03", 14_000_000_000L, 60_000)), WAIT);

        assertThat(spendOf(tenant, tenant.key())).isEqualTo("14000000000");
    }

    @Test
    void enforcesACapOnTheCombinedSpendOfBothReplicas() {
        // A second key capped at $0.002 for the month; every request costs exactly $0.0005, worst case and actual:
        // 8 × 2.50 + 48 × 10.00 per 1M.
        Tenants.Tenant tenant = Tenants.create();
        Seed.TestKey capped = Tenants.addKey(tenant.client(), "capped");
        tenant.keyLimits(capped, null, null, null, "0.002");
        MovableClock clock = new MovableClock(NOW);
        List<AdmissionControl> replicas = List.of(Replica.withRedis(vertx, pool, clock),
                Replica.withRedis(vertx, pool, clock));

        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Requests.Outcome outcome = Requests.await(replicas.get(i % 2).admit(Requests.key(tenant, capped),
                    Tenants.GPT_4O, Requests.hi(48), Requests.newRequestId()));
            outcomes.add(outcome.code());
            if (outcome.admitted()) {
                Requests.await(outcome.admission().settle(TokenCounts.of(8, 48), true), WAIT);
            }
        }

        assertThat(outcomes).containsExactly("admitted", "admitted", "admitted", "admitted", "budget_exceeded",
                "budget_exceeded");
        assertThat(spendOf(tenant, capped)).isEqualTo("2000000");
    }

    private String spendOf(Tenants.Tenant tenant, Seed.TestKey key) {
        Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
        try {
            Response value = Requests.await(redis.send(Request.cmd(Command.GET).arg(Replica.RUN_PREFIX + "{"
                    + tenant.client() + "}:k:" + key.id() + ":spend:2026-03")), WAIT);
            return value == null ? null : value.toString();
        } finally {
            redis.close();
        }
    }
}

package io.tollbooth.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.usage.event.TokenCounts;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Who a budget blocks and who it never blocks. */
@QuarkusTest
class BudgetRulesTest {

    private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Test
    void neverBlocksAClientWithoutABudgetWhateverItSpends() {
        // $1,000 already rated this month and a request of up to 1,000,000 output tokens ($10.00): no budget, no 429.
        Tenants.Tenant tenant = Tenants.create().clientLimits(1000, null, null, null)
                .rated(null, "1000.00", Instant.parse("2026-03-02T08:00:00Z"));
        AdmissionControl control = Replica.inProcess(vertx, pool, new MovableClock(NOW));

        Requests.Outcome outcome = Requests.await(control.admit(Requests.key(tenant, tenant.key()), Tenants.GPT_4O,
                Requests.hi(1_000_000), Requests.newRequestId()));

        assertThat(outcome.code()).isEqualTo("admitted");
    }

    @Test
    void admitsAModelWithoutAPriceWithoutReservingAnyBudget() {
        Tenants.Tenant tenant = Tenants.create().clientLimits(null, null, null, "0.0001");
        AdmissionControl control = Replica.inProcess(vertx, pool, new MovableClock(NOW));

        Requests.Outcome unpriced = Requests.await(control.admit(Requests.key(tenant, tenant.key()),
                Tenants.UNPRICED_MODEL, Requests.hi(1000), Requests.newRequestId()));
        Requests.Outcome priced = Requests.await(control.admit(Requests.key(tenant, tenant.key()), Tenants.GPT_4O,
                Requests.hi(1000), Requests.newRequestId()));

        assertThat(unpriced.code()).isEqualTo("admitted");
        // 8 × 2.50 + 1,000 × 10.00 per 1M = $0.01002 does not fit $0.0001.
        assertThat(priced.code()).isEqualTo("budget_exceeded");
        Requests.await(unpriced.admission().settle(TokenCounts.of(8, 1000), true), Duration.ofSeconds(5));
    }
}

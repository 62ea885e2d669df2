package io.tollbooth.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.GatewayDatabase;
import io.tollbooth.usage.event.TokenCounts;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
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

    @Test
    void reservesAtThePricesAgreedWithTheClientOnceTheyApply() {
        // Plan: 2.50 in, 10.00 out per 1M; 8 prompt + 1,000 output tokens = $0.01002, which fits $0.02.
        // Agreed with the client: 5.00 in, 30.00 out per 1M; the same request = $0.03004, which does not.
        Tenants.Tenant agreedSince = agreedPrices(Tenants.create().clientLimits(null, null, null, "0.02"),
                "2026-01-01T00:00:00Z");
        Tenants.Tenant agreedFromNextMonth = agreedPrices(Tenants.create().clientLimits(null, null, null, "0.02"),
                "2026-04-01T00:00:00Z");
        AdmissionControl control = Replica.inProcess(vertx, pool, new MovableClock(NOW));

        Requests.Outcome atAgreedPrices = Requests.await(control.admit(Requests.key(agreedSince,
                agreedSince.key()), Tenants.GPT_4O, Requests.hi(1000), Requests.newRequestId()));
        Requests.Outcome atPlanPrices = Requests.await(control.admit(Requests.key(agreedFromNextMonth,
                agreedFromNextMonth.key()), Tenants.GPT_4O, Requests.hi(1000), Requests.newRequestId()));

        assertThat(atAgreedPrices.code()).isEqualTo("budget_exceeded");
        assertThat(atPlanPrices.code()).isEqualTo("admitted");
        Requests.await(atPlanPrices.admission().settle(TokenCounts.of(8, 1000), true), Duration.ofSeconds(5));
    }

    @Test
    void reservesAtTheOperatorsCostTimesTheClientsMarkupWhereNoPriceApplies() {
        // The unpriced model costs the operator 2.00 in, 8.00 out per 1M. The markup was entered as 25 % and then
        // corrected to 50 % for the same instant, so 3.00 and 12.00 apply: 8 prompt + 1,000 output tokens cost
        // $0.012024, which does not fit $0.012 and fits $0.0121 (at 25 % it would be $0.01002 and fit both).
        Tenants.Tenant tight = markedUp(Tenants.create().clientLimits(null, null, null, "0.012"));
        Tenants.Tenant roomy = markedUp(Tenants.create().clientLimits(null, null, null, "0.0121"));
        AdmissionControl control = Replica.inProcess(vertx, pool, new MovableClock(NOW));

        Requests.Outcome refused = Requests.await(control.admit(Requests.key(tight, tight.key()),
                Tenants.UNPRICED_MODEL, Requests.hi(1000), Requests.newRequestId()));
        Requests.Outcome admitted = Requests.await(control.admit(Requests.key(roomy, roomy.key()),
                Tenants.UNPRICED_MODEL, Requests.hi(1000), Requests.newRequestId()));

        assertThat(refused.code()).isEqualTo("budget_exceeded");
        assertThat(admitted.code()).isEqualTo("admitted");
        Requests.await(admitted.admission().settle(TokenCounts.of(8, 1000), true), Duration.ofSeconds(5));
    }

    @Test
    void keepsThePlanPriceOfAModelTheClientAlsoHasAMarkupFor() {
        // gpt-4o has plan prices (2.50 / 10.00): $0.01002 fits $0.0101. Cost 2.50 / 10.00 at a 100 % markup would
        // be $0.02004 and would not.
        Tenants.Tenant tenant = Tenants.create().clientLimits(null, null, null, "0.0101");
        costs(tenant, Tenants.GPT_4O, "2.50", "10.00");
        markup(tenant, "100", "2026-01-01T00:00:00Z");
        AdmissionControl control = Replica.inProcess(vertx, pool, new MovableClock(NOW));

        Requests.Outcome outcome = Requests.await(control.admit(Requests.key(tenant, tenant.key()), Tenants.GPT_4O,
                Requests.hi(1000), Requests.newRequestId()));

        assertThat(outcome.code()).isEqualTo("admitted");
        Requests.await(outcome.admission().settle(TokenCounts.of(8, 1000), true), Duration.ofSeconds(5));
    }

    @Test
    void reservesAtThePricesOfThePlanTheClientWasMovedTo() {
        // Moved on 1 March to a plan charging 5.00 in and 30.00 out per 1M: the request costs $0.03004, which does
        // not fit $0.02 (at PLAN-T's prices it would be $0.01002 and fit). A move due in 2099 changes nothing yet.
        Tenants.Tenant moved = movedTo(Tenants.create().clientLimits(null, null, null, "0.02"),
                "2026-03-01T00:00:00Z");
        Tenants.Tenant movingLater = movedTo(Tenants.create().clientLimits(null, null, null, "0.02"),
                "2099-01-01T00:00:00Z");
        AdmissionControl control = Replica.inProcess(vertx, pool, new MovableClock(NOW));

        Requests.Outcome atNewPlan = Requests.await(control.admit(Requests.key(moved, moved.key()), Tenants.GPT_4O,
                Requests.hi(1000), Requests.newRequestId()));
        Requests.Outcome atOldPlan = Requests.await(control.admit(Requests.key(movingLater, movingLater.key()),
                Tenants.GPT_4O, Requests.hi(1000), Requests.newRequestId()));

        assertThat(atNewPlan.code()).isEqualTo("budget_exceeded");
        assertThat(atOldPlan.code()).isEqualTo("admitted");
        Requests.await(atOldPlan.admission().settle(TokenCounts.of(8, 1000), true), Duration.ofSeconds(5));
    }

    /**
     * Moves the tenant's client to a new plan "PLAN-P" (5.00 in, 30.00 out per 1M) from {@code from}; the database's
     * clock decides whether the move is effective, so "from" is far from today on either side.
     */
    private static Tenants.Tenant movedTo(Tenants.Tenant tenant, String from) {
        UUID plan = UUID.randomUUID();
        GatewayDatabase.execute("INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, 'PLAN-P', "
                + "'USD')", plan, tenant.operator());
        String price = "INSERT INTO price (id, price_plan_id, model_id, token_kind, price_per_million, currency, "
                + "effective_from) VALUES (?, ?, ?, ?, ?, 'USD', ?)";
        Timestamp start = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
        GatewayDatabase.execute(price, UUID.randomUUID(), plan, tenant.model(), "input", new BigDecimal("5.00"), start);
        GatewayDatabase.execute(price, UUID.randomUUID(), plan, tenant.model(), "output", new BigDecimal("30.00"),
                start);
        GatewayDatabase.execute("INSERT INTO client_plan_change (id, client_id, price_plan_id, effective_from, "
                + "created_by) VALUES (?, ?, ?, ?, 'test')", UUID.randomUUID(), tenant.client(), plan,
                Timestamp.from(Instant.parse(from)));
        return tenant;
    }

    private static Tenants.Tenant markedUp(Tenants.Tenant tenant) {
        costs(tenant, Tenants.UNPRICED_MODEL, "2.00", "8.00");
        markup(tenant, "25", "2026-01-01T00:00:00Z");
        markup(tenant, "50", "2026-01-01T00:00:00Z");
        return tenant;
    }

    private static void costs(Tenants.Tenant tenant, String model, String input, String output) {
        String insert = "INSERT INTO cost_price (id, operator_id, model_id, unit, unit_price, currency, "
                + "effective_from, source, created_by) SELECT ?, operator_id, id, ?, ?, 'USD', ?, 'manual', 'test' "
                + "FROM model WHERE operator_id = ? AND name = ?";
        Timestamp from = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
        GatewayDatabase.execute(insert, UUID.randomUUID(), "input", new BigDecimal(input), from, tenant.operator(),
                model);
        GatewayDatabase.execute(insert, UUID.randomUUID(), "output", new BigDecimal(output), from,
                tenant.operator(), model);
    }

    private static void markup(Tenants.Tenant tenant, String percent, String from) {
        GatewayDatabase.execute("INSERT INTO client_markup (id, client_id, markup_percent, effective_from, "
                + "created_by) VALUES (?, ?, ?, ?, 'test')", UUID.randomUUID(), tenant.client(),
                new BigDecimal(percent), Timestamp.from(Instant.parse(from)));
    }

    private static Tenants.Tenant agreedPrices(Tenants.Tenant tenant, String from) {
        String insert = "INSERT INTO client_price (id, client_id, model_id, unit, unit_price, currency, "
                + "effective_from, created_by) VALUES (?, ?, ?, ?, ?, 'USD', ?, 'test')";
        Timestamp effective = Timestamp.from(Instant.parse(from));
        GatewayDatabase.execute(insert, UUID.randomUUID(), tenant.client(), tenant.model(), "input",
                new BigDecimal("5.00"), effective);
        GatewayDatabase.execute(insert, UUID.randomUUID(), tenant.client(), tenant.model(), "output",
                new BigDecimal("30.00"), effective);
        return tenant;
    }
}

package io.tollbooth.metering.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.LedgerRows;
import io.tollbooth.metering.PlanT;
import io.tollbooth.metering.UsageEvents;
import io.tollbooth.metering.ledger.UsageTotals.UsageTotal;
import io.tollbooth.metering.pricebook.Change;
import io.tollbooth.metering.pricebook.ClientPricing;
import io.tollbooth.metering.pricebook.CostPrices;
import io.tollbooth.metering.pricebook.NewPrice;
import io.tollbooth.metering.rating.TierMode;
import io.tollbooth.metering.rating.UsageUnit;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The hourly and daily totals in the client's time zone, kept up to date as usage is stored, priced, re-rated and
 * moved between volume bands. PLAN-T costs; the client's markup is 0 % where the case gives charges equal to cost.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class UsageTotalsTest {

    /** gpt-4o input at 2.50 per 1M: 400,000 tokens cost $1.00. */
    private static final long DOLLAR_OF_INPUT = 400_000;
    private static final Instant FIX_TIME = Instant.parse("2026-05-20T10:00:00Z");

    @Inject
    DataSource dataSource;

    @Inject
    UsageLedger ledger;

    @Inject
    UsageTotals totals;

    @Inject
    Rerating rerating;

    @Inject
    CostPrices costs;

    @Inject
    ClientPricing pricing;

    @Test
    void case19CountsALocalDayOfAClientInKolkataFromItsOwnMidnightToMidnight() throws SQLException {
        PlanT tenant = tenantIn("Asia/Kolkata", "0");
        record(tenant, DOLLAR_OF_INPUT, "2026-05-10T20:00:00Z");
        record(tenant, 2 * DOLLAR_OF_INPUT, "2026-05-11T10:00:00Z");
        record(tenant, 4 * DOLLAR_OF_INPUT, "2026-05-11T19:00:00Z");

        List<UsageTotal> may11 = totals.daily(tenant.clientId(), day("2026-05-11"), day("2026-05-12"));
        List<UsageTotal> threeDays = totals.daily(tenant.clientId(), day("2026-05-10"), day("2026-05-13"));

        assertThat(may11).extracting(UsageTotal::localDate, UsageTotal::requests, total -> plain(total.amount()))
                .containsExactly(tuple(day("2026-05-11"), 2L, "3"));
        assertThat(threeDays).extracting(UsageTotal::localDate, total -> plain(total.amount()))
                .containsExactly(tuple(day("2026-05-11"), "3"), tuple(day("2026-05-12"), "4"));
        assertThat(plain(totals.spend(tenant.clientId(), day("2026-05-10"), day("2026-05-13"))))
                .isEqualTo(plain(threeDays.stream().map(UsageTotal::amount).reduce(BigDecimal.ZERO, BigDecimal::add)))
                .isEqualTo("7");
        assertThat(totals.hourly(tenant.clientId(), Instant.parse("2026-05-11T09:00:00Z"),
                        Instant.parse("2026-05-11T10:00:00Z")))
                .extracting(UsageTotal::hourStart, UsageTotal::localDate, UsageTotal::inputTokens)
                .containsExactly(tuple(Instant.parse("2026-05-11T09:30:00Z"), day("2026-05-11"),
                        2 * DOLLAR_OF_INPUT));
    }

    @Test
    void case19ShowsAnEveningEventOfAClientInLosAngelesUnderItsLocalDay() throws SQLException {
        PlanT tenant = tenantIn("America/Los_Angeles", "0");

        record(tenant, DOLLAR_OF_INPUT, "2026-05-12T04:30:00Z");

        assertThat(totals.daily(tenant.clientId(), day("2026-05-11"), day("2026-05-12")))
                .extracting(UsageTotal::localDate, total -> plain(total.amount()))
                .containsExactly(tuple(day("2026-05-11"), "1"));
        assertThat(totals.daily(tenant.clientId(), day("2026-05-12"), day("2026-05-13"))).isEmpty();
    }

    @Test
    void keepsTotalsPerKeyAndModelWithTheClientsChargeAndTheOperatorsCost() throws SQLException {
        PlanT tenant = tenantIn("UTC", "20");
        UsageEvent first = UsageEvents.event(tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 100),
                UsageEvents.MAY);
        UsageEvent second = UsageEvents.event(tenant.clientId(), "o4-mini", TokenCounts.of(17, 482),
                UsageEvents.MAY.plusSeconds(60));
        record(first);
        record(second);

        assertThat(totals.dailyByKeyAndModel(tenant.clientId(), day("2026-05-10"), day("2026-05-11")))
                .extracting(UsageTotal::apiKeyId, UsageTotal::model, UsageTotal::outputTokens,
                        total -> plain(total.amount()), total -> plain(total.cost()))
                .containsExactlyInAnyOrder(
                        tuple(UUID.fromString(first.data().apiKeyId()), "gpt-4o", 100L, "0.0042", "0.0035"),
                        tuple(UUID.fromString(second.data().apiKeyId()), "o4-mini", 482L, "0.0025674",
                                "0.0021395"));
    }

    @Test
    void countsUnpricedRequestsApartAndAddsTheirMoneyOnceTheyArePriced() throws SQLException {
        PlanT tenant = tenantIn("UTC", "20");
        record(UsageEvents.event(tenant.clientId(), "gpt-4o-2099-01-01", TokenCounts.of(1_000, 500),
                UsageEvents.MAY));
        UsageTotal waiting = totals.daily(tenant.clientId(), day("2026-05-10"), day("2026-05-11")).get(0);

        tenant.addModel(dataSource, "gpt-4o-2099-01-01");
        costs.add(tenant.operatorId(), List.of(
                NewPrice.flat("gpt-4o-2099-01-01", UsageUnit.INPUT, new BigDecimal("2.50"), PlanT.FROM),
                NewPrice.flat("gpt-4o-2099-01-01", UsageUnit.OUTPUT, new BigDecimal("10.00"), PlanT.FROM)),
                CostPrices.MANUAL, new Change("pricing@test", FIX_TIME, false));
        UsageTotal priced = totals.daily(tenant.clientId(), day("2026-05-10"), day("2026-05-11")).get(0);

        assertThat(waiting).extracting(UsageTotal::requests, UsageTotal::unpricedRequests, UsageTotal::inputTokens,
                total -> plain(total.amount())).containsExactly(1L, 1L, 1_000L, "0");
        assertThat(priced).extracting(UsageTotal::requests, UsageTotal::unpricedRequests, UsageTotal::inputTokens,
                total -> plain(total.amount()), total -> plain(total.cost())).containsExactly(1L, 0L, 1_000L, "0.009",
                "0.0075");
    }

    @Test
    void replacesTheMoneyOfAReRatedPeriodWithoutCountingItsRequestsTwice() throws SQLException {
        PlanT tenant = tenantIn("UTC", "20");
        record(tenant, 1_000, "2026-05-10T12:00:00Z");
        pricing.setMarkup(tenant.clientId(), new BigDecimal("50"), PlanT.FROM, new Change("pricing@test", FIX_TIME,
                false));

        rerating.rerate(tenant.clientId(), day("2026-05-01"), day("2026-06-01"),
                new Correction("pricing@test", FIX_TIME, "markup agreed at 50 % from the start"));

        assertThat(totals.daily(tenant.clientId(), day("2026-05-01"), day("2026-06-01")))
                .extracting(UsageTotal::requests, UsageTotal::inputTokens, total -> plain(total.amount()),
                        total -> plain(total.cost()))
                .containsExactly(tuple(1L, 1_000L, "0.00375", "0.0025"));
    }

    @Test
    void followsAMonthMovedToTheVolumeBandItsTotalReaches() throws SQLException {
        PlanT tenant = tenantIn("UTC", "20");
        pricing.addPrices(tenant.clientId(), List.of(
                new NewPrice("gpt-4o", UsageUnit.INPUT, new BigDecimal("2.00"), PlanT.FROM, 0, 0, TierMode.VOLUME),
                new NewPrice("gpt-4o", UsageUnit.INPUT, new BigDecimal("1.00"), PlanT.FROM, 0, 1_000,
                        TierMode.VOLUME)), new Change("pricing@test", FIX_TIME, false));

        record(tenant, 800, "2026-05-10T12:00:00Z");
        record(tenant, 800, "2026-05-12T12:00:00Z");

        assertThat(totals.daily(tenant.clientId(), day("2026-05-01"), day("2026-06-01")))
                .extracting(UsageTotal::localDate, total -> plain(total.amount()))
                .containsExactly(tuple(day("2026-05-10"), "0.0008"), tuple(day("2026-05-12"), "0.0008"));
        assertThat(plain(totals.spend(tenant.clientId(), day("2026-05-01"), day("2026-06-01"))))
                .isEqualTo(new LedgerRows(dataSource).total(tenant.clientId()));
    }

    @Test
    void equalsTheLedgerRecomputedAfterPricingReRatingAndBandMoves() throws SQLException {
        PlanT tenant = tenantIn("Asia/Kolkata", "20");
        pricing.addPrices(tenant.clientId(), List.of(
                new NewPrice("gpt-4o", UsageUnit.INPUT, new BigDecimal("2.00"), PlanT.FROM, 0, 0, TierMode.VOLUME),
                new NewPrice("gpt-4o", UsageUnit.INPUT, new BigDecimal("1.00"), PlanT.FROM, 0, 1_000,
                        TierMode.VOLUME),
                NewPrice.flat("gpt-4o", UsageUnit.OUTPUT, new BigDecimal("8.00"), PlanT.FROM)),
                new Change("pricing@test", FIX_TIME, false));
        record(tenant, 800, "2026-05-10T20:00:00Z");
        record(UsageEvents.event(tenant.clientId(), "gpt-4o-2099-01-01", TokenCounts.of(300, 30),
                Instant.parse("2026-05-11T03:15:00Z")));
        record(tenant, 800, "2026-05-11T10:45:00Z");
        tenant.addModel(dataSource, "gpt-4o-2099-01-01");
        costs.add(tenant.operatorId(), List.of(
                NewPrice.flat("gpt-4o-2099-01-01", UsageUnit.INPUT, new BigDecimal("2.50"), PlanT.FROM),
                NewPrice.flat("gpt-4o-2099-01-01", UsageUnit.OUTPUT, new BigDecimal("10.00"), PlanT.FROM)),
                CostPrices.MANUAL, new Change("pricing@test", FIX_TIME, false));
        pricing.setMarkup(tenant.clientId(), new BigDecimal("30"), PlanT.FROM, new Change("pricing@test", FIX_TIME,
                false));
        rerating.rerate(tenant.clientId(), day("2026-05-01"), day("2026-06-01"),
                new Correction("pricing@test", FIX_TIME, "markup corrected"));

        assertThat(differencesFromTheLedger(tenant)).isZero();
        assertThat(plain(totals.spend(tenant.clientId(), day("2026-05-01"), day("2026-06-01"))))
                .isEqualTo(new LedgerRows(dataSource).total(tenant.clientId()));
    }

    /** Hours of the client whose totals differ from the same totals recomputed from the events and rated rows. */
    private long differencesFromTheLedger(PlanT tenant) throws SQLException {
        String recomputed = "SELECT e.api_key_id, e.requested_model AS model, e.occurred_at"
                + " - ((e.occurred_at AT TIME ZONE c.time_zone) - date_trunc('hour', e.occurred_at AT TIME ZONE"
                + " c.time_zone)) AS hour_start, count(*) AS requests, count(*) FILTER (WHERE e.rating_status ="
                + " 'UNPRICED') AS unpriced, sum(e.input_tokens) AS input, sum(e.output_tokens) AS output,"
                + " coalesce(sum(r.amount), 0) AS amount, coalesce(sum(r.cost), 0) AS cost"
                + " FROM usage_event e JOIN client c ON c.id = e.client_id LEFT JOIN (SELECT usage_event_id,"
                + " sum(amount) AS amount, sum(cost_amount) AS cost FROM rated_usage GROUP BY usage_event_id) r"
                + " ON r.usage_event_id = e.id WHERE e.client_id = ? AND e.rating_status <> 'REJECTED'"
                + " GROUP BY 1, 2, 3";
        String compare = "SELECT count(*) FROM (" + recomputed + ") b FULL JOIN (SELECT * FROM usage_hourly"
                + " WHERE client_id = ?) h ON h.api_key_id IS NOT DISTINCT FROM b.api_key_id AND h.model = b.model"
                + " AND h.hour_start = b.hour_start WHERE b.model IS NULL OR h.model IS NULL"
                + " OR h.requests <> b.requests OR h.unpriced_requests <> b.unpriced OR h.input_tokens <> b.input"
                + " OR h.output_tokens <> b.output OR h.amount <> b.amount OR h.cost <> b.cost";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(compare)) {
            query.setObject(1, tenant.clientId());
            query.setObject(2, tenant.clientId());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private PlanT tenantIn(String zone, String markupPercent) throws SQLException {
        PlanT tenant = PlanT.create(dataSource, costs, pricing, markupPercent);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE client SET time_zone = ? WHERE id = ?")) {
            update.setString(1, zone);
            update.setObject(2, tenant.clientId());
            update.executeUpdate();
        }
        return tenant;
    }

    private void record(PlanT tenant, long inputTokens, String at) throws SQLException {
        record(UsageEvents.event(tenant.clientId(), "gpt-4o", TokenCounts.of(inputTokens, 0), Instant.parse(at)));
    }

    private void record(UsageEvent event) throws SQLException {
        ledger.record(List.of(new ReceivedEvent(event, UsageEventCodec.toJson(event))));
    }

    private static LocalDate day(String date) {
        return LocalDate.parse(date);
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}

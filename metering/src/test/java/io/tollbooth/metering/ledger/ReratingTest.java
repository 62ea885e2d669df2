package io.tollbooth.metering.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.Invoices;
import io.tollbooth.metering.LedgerRows;
import io.tollbooth.metering.LedgerRows.ChargeRow;
import io.tollbooth.metering.LedgerRows.EventRow;
import io.tollbooth.metering.PlanT;
import io.tollbooth.metering.UsageEvents;
import io.tollbooth.metering.pricebook.Change;
import io.tollbooth.metering.pricebook.ClientPricing;
import io.tollbooth.metering.pricebook.CostPrices;
import io.tollbooth.metering.pricebook.NewPrice;
import io.tollbooth.metering.rating.UsageUnit;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stored events rated again: usage waiting for a price is rated when the price is added (case 11), and a client's
 * open period is rated again after a price typo is corrected (case 15), each with an audit row saying who, when,
 * why and what changed. PLAN-T costs, 20 % markup.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class ReratingTest {

    private static final String SNAPSHOT = "gpt-4o-2099-01-01";
    private static final Instant JUNE = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant FIX_TIME = Instant.parse("2026-06-03T10:00:00Z");

    @Inject
    DataSource dataSource;

    @Inject
    UsageLedger ledger;

    @Inject
    Rerating rerating;

    @Inject
    CostPrices costs;

    @Inject
    ClientPricing pricing;

    private PlanT tenant;
    private LedgerRows rows;

    @BeforeEach
    void setUp() throws SQLException {
        tenant = PlanT.create(dataSource, costs, pricing);
        rows = new LedgerRows(dataSource);
    }

    @Test
    void showsUsageOfAModelWithoutAPriceApartWithTheReason() throws SQLException {
        record(UsageEvents.event(tenant.clientId(), SNAPSHOT, TokenCounts.of(1_000, 500), UsageEvents.MAY));
        record(UsageEvents.event(tenant.clientId(), SNAPSHOT, TokenCounts.of(10, 5), UsageEvents.MAY.plusSeconds(9)));

        assertThat(rerating.unpriced(tenant.operatorId()))
                .extracting(UnpricedUsage::clientId, UnpricedUsage::model, UnpricedUsage::events,
                        UnpricedUsage::first, UnpricedUsage::last, UnpricedUsage::reason)
                .containsExactly(tuple(tenant.clientId(), SNAPSHOT, 2L, UsageEvents.MAY,
                        UsageEvents.MAY.plusSeconds(9), "model '" + SNAPSHOT + "' is not in the operator's catalogue"));
        assertThat(rows.total(tenant.clientId())).isEqualTo("0");
    }

    @Test
    void case11RatesTheWaitingEventsWhenTheModelGetsAPrice() throws SQLException {
        UsageEvent waiting = UsageEvents.event(tenant.clientId(), SNAPSHOT, TokenCounts.of(1_000, 500),
                UsageEvents.MAY);
        record(waiting);

        tenant.addModel(dataSource, SNAPSHOT);
        costs.add(tenant.operatorId(), List.of(
                NewPrice.flat(SNAPSHOT, UsageUnit.INPUT, new BigDecimal("2.50"), PlanT.FROM),
                NewPrice.flat(SNAPSHOT, UsageUnit.OUTPUT, new BigDecimal("10.00"), PlanT.FROM)),
                CostPrices.MANUAL, new Change("pricing@test", FIX_TIME, false));

        assertThat(rows.events(tenant.clientId())).extracting(EventRow::ratingStatus).containsExactly("RATED");
        assertThat(rows.costTotal(tenant.clientId())).isEqualTo("0.0075");
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.009");
        assertThat(rerating.unpriced(tenant.operatorId())).isEmpty();
        assertThat(rerating.audit(tenant.clientId()))
                .extracting(RatingAuditEntry::kind, RatingAuditEntry::actor, RatingAuditEntry::occurredAt,
                        RatingAuditEntry::periodStart, RatingAuditEntry::events, RatingAuditEntry::unpricedBefore,
                        RatingAuditEntry::unpricedAfter, entry -> plain(entry.amountBefore()),
                        entry -> plain(entry.amountAfter()), entry -> plain(entry.costAfter()))
                .containsExactly(tuple("priced_waiting", "pricing@test", FIX_TIME, UsageEvents.MAY, 1, 1, 0, "0",
                        "0.009", "0.0075"));
    }

    @Test
    void keepsAnEventWaitingWhilePricesAreAddedForOtherModels() throws SQLException {
        record(UsageEvents.event(tenant.clientId(), SNAPSHOT, TokenCounts.of(1_000, 500), UsageEvents.MAY));

        pricing.setMarkup(tenant.clientId(), new BigDecimal("25"), JUNE, new Change("pricing@test", FIX_TIME, false));

        assertThat(rows.events(tenant.clientId())).extracting(EventRow::ratingStatus).containsExactly("UNPRICED");
        assertThat(rerating.audit(tenant.clientId())).isEmpty();
    }

    @Test
    void case15RatesAnOpenPeriodAgainAfterAPriceTypoIsCorrected() throws SQLException {
        // 10.00 per token typed into the per-1M output field, confirmed, then corrected for the same instant.
        costs.add(tenant.operatorId(), List.of(NewPrice.flat("gpt-4o", UsageUnit.OUTPUT, new BigDecimal("10000000"),
                JUNE)), CostPrices.MANUAL, new Change("typist@test", JUNE, true));
        record(UsageEvents.event(tenant.clientId(), "gpt-4o", TokenCounts.of(0, 100), JUNE.plusSeconds(3_600)));
        String costWithTypo = rows.costTotal(tenant.clientId());
        String chargeWithTypo = rows.total(tenant.clientId());
        costs.add(tenant.operatorId(), List.of(NewPrice.flat("gpt-4o", UsageUnit.OUTPUT, new BigDecimal("10.00"),
                JUNE)), CostPrices.MANUAL, new Change("pricing@test", FIX_TIME, false));

        RatingAuditEntry entry = rerating.rerate(tenant.clientId(), LocalDate.parse("2026-06-01"),
                LocalDate.parse("2026-07-01"), new Correction("pricing@test", FIX_TIME, "output price typo fixed"));

        assertThat(costWithTypo).isEqualTo("1000");
        assertThat(chargeWithTypo).isEqualTo("1200");
        assertThat(rows.costTotal(tenant.clientId())).isEqualTo("0.001");
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.0012");
        assertThat(rows.monthlyQuantity(tenant.clientId(), "output")).isEqualTo(100);
        assertThat(rerating.audit(tenant.clientId())).containsExactly(entry);
        assertThat(entry).extracting(RatingAuditEntry::kind, RatingAuditEntry::actor, RatingAuditEntry::reason,
                        RatingAuditEntry::occurredAt, RatingAuditEntry::periodStart, RatingAuditEntry::periodEnd,
                        RatingAuditEntry::events, e -> plain(e.amountBefore()), e -> plain(e.amountAfter()),
                        e -> plain(e.costBefore()), e -> plain(e.costAfter()), RatingAuditEntry::currency)
                .containsExactly("rerated", "pricing@test", "output price typo fixed", FIX_TIME, JUNE,
                        Instant.parse("2026-07-01T00:00:00Z"), 1, "1200", "0.0012", "1000", "0.001", "USD");
    }

    @Test
    void recordsTheDifferenceForUsageOnAnIssuedInvoiceAndLeavesItsRowsAsInvoiced() throws SQLException {
        record(UsageEvents.event(tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 0), UsageEvents.MAY));
        UUID mayInvoice = Invoices.issue(dataSource, tenant.operatorId(), tenant.clientId(),
                LocalDate.parse("2026-05-01"), LocalDate.parse("2026-06-01"));
        pricing.setMarkup(tenant.clientId(), new BigDecimal("50"), PlanT.FROM, new Change("pricing@test", FIX_TIME,
                false));

        RatingAuditEntry entry = rerating.rerate(tenant.clientId(), LocalDate.parse("2026-05-01"),
                LocalDate.parse("2026-06-01"), new Correction("pricing@test", FIX_TIME, "markup agreed at 50 %"));

        assertThat(rows.total(tenant.clientId())).isEqualTo("0.003");
        assertThat(rerating.unsettledAdjustments(tenant.clientId()))
                .extracting(RatingAdjustment::invoiceId, RatingAdjustment::events, a -> plain(a.amountBefore()),
                        a -> plain(a.amountAfter()), a -> plain(a.difference()), RatingAdjustment::currency)
                .containsExactly(tuple(mayInvoice, 1, "0.003", "0.00375", "0.00075", "USD"));
        assertThat(entry).extracting(RatingAuditEntry::events, e -> plain(e.amountBefore()),
                e -> plain(e.amountAfter())).containsExactly(1, "0.003", "0.00375");
    }

    @Test
    void marksAWaitingEventOfAnInvoicedPeriodAsLateWhenItGetsItsPrice() throws SQLException {
        record(UsageEvents.event(tenant.clientId(), SNAPSHOT, TokenCounts.of(1_000, 0), UsageEvents.MAY));
        UUID mayInvoice = Invoices.issue(dataSource, tenant.operatorId(), tenant.clientId(),
                LocalDate.parse("2026-05-01"), LocalDate.parse("2026-06-01"));

        tenant.addModel(dataSource, SNAPSHOT);
        costs.add(tenant.operatorId(), List.of(NewPrice.flat(SNAPSHOT, UsageUnit.INPUT, new BigDecimal("2.50"),
                PlanT.FROM)), CostPrices.MANUAL, new Change("pricing@test", FIX_TIME, false));

        assertThat(rows.charges(tenant.clientId())).extracting(ChargeRow::amount, ChargeRow::lateOfInvoiceId)
                .containsExactly(tuple("0.003", mayInvoice));
    }

    private void record(UsageEvent event) throws SQLException {
        ledger.record(List.of(new ReceivedEvent(event, UsageEventCodec.toJson(event))));
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}

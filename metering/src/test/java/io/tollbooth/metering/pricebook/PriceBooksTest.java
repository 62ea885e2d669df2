package io.tollbooth.metering.pricebook;

import static io.tollbooth.metering.UsageEvents.CASE_1;
import static io.tollbooth.metering.UsageEvents.MAY;
import static io.tollbooth.metering.UsageEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.Invoices;
import io.tollbooth.metering.LedgerRows;
import io.tollbooth.metering.LedgerRows.ChargeRow;
import io.tollbooth.metering.PlanT;
import io.tollbooth.metering.ledger.ReceivedEvent;
import io.tollbooth.metering.ledger.UsageLedger;
import io.tollbooth.metering.rating.TierMode;
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
 * The price books in PostgreSQL: the operator's costs, the client's own prices and markup, checked when they
 * change and applied by the ledger, which records the client's charge and the operator's cost of every row.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class PriceBooksTest {

    private static final Instant JUNE = Instant.parse("2026-06-01T00:00:00Z");

    @Inject
    DataSource dataSource;

    @Inject
    UsageLedger ledger;

    @Inject
    CostPrices costs;

    @Inject
    ClientPricing pricing;

    @Inject
    PlanPrices plans;

    private PlanT tenant;
    private LedgerRows rows;

    @BeforeEach
    void setUp() throws SQLException {
        tenant = PlanT.create(dataSource, costs, pricing);
        rows = new LedgerRows(dataSource);
    }

    @Test
    void recordsTheClientsChargeAndTheOperatorsCostOfEveryRow() throws SQLException {
        UsageEvent event = event(tenant.clientId(), "gpt-4o", CASE_1, MAY);

        record(event);

        assertThat(rows.charges(tenant.clientId()))
                .extracting(ChargeRow::unit, ChargeRow::source, ChargeRow::unitPrice, ChargeRow::amount,
                        ChargeRow::costUnitPrice, ChargeRow::costAmount)
                .containsExactly(
                        tuple("cached_input", "markup", "1.5", "0.023808", "1.25", "0.01984"),
                        tuple("input", "markup", "3", "0.000717", "2.5", "0.0005975"),
                        tuple("output", "markup", "12", "0.000024", "10", "0.00002"));
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.024549");
        assertThat(rows.costTotal(tenant.clientId())).isEqualTo("0.0204575");
    }

    @Test
    void refusesAPriceFarOutOfLineWithThePreviousOneUnlessConfirmed() throws SQLException {
        // Case 15: 10.00 per token typed into the per-1M output field.
        List<NewPrice> typo = List.of(NewPrice.flat("gpt-4o", UsageUnit.OUTPUT, new BigDecimal("10000000"), JUNE));

        assertThatThrownBy(() -> costs.add(tenant.operatorId(), typo, CostPrices.MANUAL, change(false)))
                .isInstanceOfSatisfying(PriceBookException.class, e -> {
                    assertThat(e.error()).isEqualTo(PriceBookError.UNCONFIRMED_PRICE_CHANGE);
                    assertThat(e.getMessage()).isEqualTo("gpt-4o output from 2026-06-01T00:00:00Z: 10000000 is"
                            + " 1000000 times the previous 10; was a per-token price typed into a per-1M field?"
                            + " (in force from 2026-01-01T00:00:00Z). Nothing was saved; send \"confirm\": true to"
                            + " save these prices as they are.");
                    assertThat(e.outOfLine()).extracting(OutOfLinePrice::unit, OutOfLinePrice::basis,
                            OutOfLinePrice::previous)
                            .containsExactly(tuple("output", OutOfLinePrice.PREVIOUS, new BigDecimal("10.00")));
                });
        assertThat(costs.list(tenant.operatorId())).hasSize(16);

        costs.add(tenant.operatorId(), typo, CostPrices.MANUAL, change(true));

        assertThat(costs.list(tenant.operatorId())).hasSize(17);
    }

    @Test
    void refusesAPriceAHundredthOfThePreviousOneUnlessConfirmed() {
        List<NewPrice> cut = List.of(NewPrice.flat("gpt-4o", UsageUnit.INPUT, new BigDecimal("0.025"), JUNE));

        assertThatThrownBy(() -> costs.add(tenant.operatorId(), cut, CostPrices.MANUAL, change(false)))
                .hasMessageStartingWith("gpt-4o input from 2026-06-01T00:00:00Z: 0.025 is 1/100 of the previous"
                        + " 2.5 (in force from 2026-01-01T00:00:00Z).");
    }

    @Test
    void correctsATypoForTheSameInstantKeepingTheTypoInTheHistory() throws SQLException {
        StoredPrice typo = costs.add(tenant.operatorId(), List.of(NewPrice.flat("gpt-4o", UsageUnit.OUTPUT,
                new BigDecimal("10000000"), JUNE)), CostPrices.MANUAL, change(true)).get(0);

        StoredPrice correction = costs.add(tenant.operatorId(), List.of(NewPrice.flat("gpt-4o", UsageUnit.OUTPUT,
                new BigDecimal("10.50"), JUNE)), CostPrices.MANUAL, change(false)).get(0);
        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(0, 100), JUNE.plusSeconds(60)));

        assertThat(costs.list(tenant.operatorId()))
                .filteredOn(row -> row.price().effectiveFrom().equals(JUNE))
                .extracting(row -> row.price().id(), StoredPrice::correctedBy)
                .containsExactly(tuple(typo.price().id(), correction.price().id()),
                        tuple(correction.price().id(), null));
        assertThat(rows.costTotal(tenant.clientId())).isEqualTo("0.00105");
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.00126");
    }

    @Test
    void prefersTheClientsOwnPriceOfAModelToItsMarkup() throws SQLException {
        pricing.addPrices(tenant.clientId(), List.of(
                NewPrice.flat("gpt-4o", UsageUnit.INPUT, new BigDecimal("2.00"), PlanT.FROM),
                NewPrice.flat("gpt-4o", UsageUnit.OUTPUT, new BigDecimal("8.00"), PlanT.FROM)), change(false));

        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 100), MAY));

        assertThat(rows.charges(tenant.clientId()))
                .extracting(ChargeRow::unit, ChargeRow::source, ChargeRow::amount, ChargeRow::costAmount)
                .containsExactly(tuple("input", "client", "0.002", "0.0025"), tuple("output", "client", "0.0008",
                        "0.001"));
    }

    @Test
    void fillsGraduatedMonthlyBandsInTheOrderTheUsageHappened() throws SQLException {
        bands(TierMode.GRADUATED);

        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(800, 0), MAY));
        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(800, 0), MAY.plusSeconds(60)));

        assertThat(rows.charges(tenant.clientId()))
                .extracting(ChargeRow::quantity, ChargeRow::bandFrom, ChargeRow::unitPrice, ChargeRow::amount,
                        ChargeRow::costAmount)
                .containsExactly(
                        tuple(800L, 0L, "2", "0.0016", "0.002"),
                        tuple(200L, 0L, "2", "0.0004", "0.0005"),
                        tuple(600L, 1_000L, "1", "0.0006", "0.0015"));
        assertThat(rows.monthlyQuantity(tenant.clientId(), "input")).isEqualTo(1_600);
    }

    @Test
    void givesAFreeMonthlyAllowanceAsAFirstBandPricedZero() throws SQLException {
        pricing.addPrices(tenant.clientId(), List.of(
                NewPrice.flat("gpt-4o", UsageUnit.INPUT, new BigDecimal("0.00"), PlanT.FROM),
                new NewPrice("gpt-4o", UsageUnit.INPUT, new BigDecimal("2.00"), PlanT.FROM, 0, 100_000,
                        TierMode.GRADUATED)), change(false));

        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(80_000, 0), MAY));
        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(40_000, 0), MAY.plusSeconds(60)));
        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(10_000, 0), JUNE.plusSeconds(60)));

        assertThat(rows.charges(tenant.clientId()))
                .extracting(ChargeRow::quantity, ChargeRow::bandFrom, ChargeRow::amount, ChargeRow::costAmount)
                .containsExactly(
                        tuple(80_000L, 0L, "0", "0.2"),
                        tuple(20_000L, 0L, "0", "0.05"),
                        tuple(20_000L, 100_000L, "0.04", "0.05"),
                        tuple(10_000L, 0L, "0", "0.025"));
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.04");
    }

    @Test
    void movesTheWholeMonthToTheVolumeBandItsTotalReaches() throws SQLException {
        bands(TierMode.VOLUME);

        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(800, 0), MAY));
        String belowTheBand = rows.total(tenant.clientId());
        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(800, 0), MAY.plusSeconds(60)));

        assertThat(belowTheBand).isEqualTo("0.0016");
        assertThat(rows.charges(tenant.clientId()))
                .extracting(ChargeRow::quantity, ChargeRow::bandFrom, ChargeRow::amount)
                .containsExactly(tuple(800L, 1_000L, "0.0008"), tuple(800L, 1_000L, "0.0008"));
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.0016");
    }

    @Test
    void marksUsageOfAnAlreadyInvoicedPeriodAsLate() throws SQLException {
        UUID aprilInvoice = Invoices.issue(dataSource, tenant.operatorId(), tenant.clientId(),
                LocalDate.parse("2026-04-01"), LocalDate.parse("2026-05-01"));

        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 0), Instant.parse("2026-04-20T08:00:00Z")));
        record(event(tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 0), MAY));

        assertThat(rows.charges(tenant.clientId())).extracting(ChargeRow::amount, ChargeRow::lateOfInvoiceId)
                .containsExactly(tuple("0.003", aprilInvoice), tuple("0.003", null));
    }

    @Test
    void refusesAPlanPriceTypedPerTokenUnlessConfirmed() throws SQLException {
        plans.add(tenant.planId(), List.of(NewPrice.flat("gpt-4o", UsageUnit.OUTPUT, new BigDecimal("10.00"),
                PlanT.FROM)), change(false));
        List<NewPrice> typo = List.of(NewPrice.flat("gpt-4o", UsageUnit.OUTPUT, new BigDecimal("10000000"), JUNE));

        assertThatThrownBy(() -> plans.add(tenant.planId(), typo, change(false)))
                .isInstanceOfSatisfying(PriceBookException.class, e -> assertThat(e.error())
                        .isEqualTo(PriceBookError.UNCONFIRMED_PRICE_CHANGE));
        assertThat(plans.add(tenant.planId(), typo, change(true))).hasSize(1);
        assertThatThrownBy(() -> plans.add(tenant.planId(), typo, change(true)))
                .isInstanceOfSatisfying(PriceBookException.class, e -> assertThat(e.error())
                        .isEqualTo(PriceBookError.INVALID));
    }

    @Test
    void ratesTheWaitingUsageOfThePlansClientsWhenThePlanPricesTheModel() throws SQLException {
        tenant.addModel(dataSource, "mistral-small");
        record(event(tenant.clientId(), "mistral-small", TokenCounts.of(1_000, 100), MAY));
        String waiting = rows.total(tenant.clientId());

        plans.add(tenant.planId(), List.of(
                NewPrice.flat("mistral-small", UsageUnit.INPUT, new BigDecimal("1.00"), PlanT.FROM),
                NewPrice.flat("mistral-small", UsageUnit.OUTPUT, new BigDecimal("3.00"), PlanT.FROM),
                NewPrice.flat("mistral-small", UsageUnit.REQUEST, new BigDecimal("0.0001"), PlanT.FROM)),
                change(false));

        assertThat(waiting).isEqualTo("0");
        assertThat(rows.charges(tenant.clientId()))
                .extracting(ChargeRow::unit, ChargeRow::source, ChargeRow::amount, ChargeRow::costAmount)
                .containsExactly(tuple("input", "plan", "0.001", null), tuple("output", "plan", "0.0003", null),
                        tuple("request", "plan", "0.0001", null));
    }

    /** gpt-4o input for the client: 2.00 per 1M for the month's first 1,000 tokens, 1.00 beyond. */
    private void bands(TierMode mode) throws SQLException {
        pricing.addPrices(tenant.clientId(), List.of(
                new NewPrice("gpt-4o", UsageUnit.INPUT, new BigDecimal("2.00"), PlanT.FROM, 0, 0, mode),
                new NewPrice("gpt-4o", UsageUnit.INPUT, new BigDecimal("1.00"), PlanT.FROM, 0, 1_000, mode)),
                change(false));
    }

    private void record(UsageEvent event) throws SQLException {
        ledger.record(List.of(new ReceivedEvent(event, UsageEventCodec.toJson(event))));
    }

    private static Change change(boolean confirmed) {
        return new Change(PlanT.OPERATOR_ADMIN, Instant.parse("2026-05-01T09:00:00Z"), confirmed);
    }
}

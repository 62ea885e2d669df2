package io.tollbooth.billing.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.Invoicing;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.invoice.BillingAccounts;
import io.tollbooth.billing.invoice.BillingTerms;
import io.tollbooth.billing.invoice.CreditBalance;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.invoice.LineUnit;
import io.tollbooth.billing.invoice.TaxRate;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Invoices traced from usage events to their totals, with every difference found listed. */
@QuarkusTest
class InvoiceReconciliationTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);

    @Inject
    InvoiceReconciliation reconciliation;

    @Inject
    BillingFixtures fixtures;

    @Inject
    Invoicing invoicing;

    @Inject
    BillingAccounts accounts;

    @Inject
    CreditBalance credit;

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource dataSource;

    private Client client;

    @BeforeEach
    void mayWithVatAndCredit() {
        fixtures.clear();
        clock.set("2026-06-02T09:00:00Z");
        Operator acme = fixtures.operator("acme", "Acme AI Services");
        client = fixtures.client(acme, "tenant-acme", "Acme Corp", "USD", "UTC");
        accounts.update(client.id(), BillingTerms.DEFAULTS.withTaxRates(
                List.of(new TaxRate("VAT", new BigDecimal("19"), null))));
        credit.addPrepaid(client.id(), new BigDecimal("1.00"), null, "ops-anna");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(client, "gpt-4o", TokenKind.OUTPUT, "10.00");
        // Case 20(a)'s 10,000 requests of $0.0000375, and one of $10.00.
        fixtures.rated(client, "gpt-4o", "2026-05-10T12:00:00Z", 10_000, Tokens.input(15));
        fixtures.rated(client, "gpt-4o", "2026-05-20T12:00:00Z", 1, Tokens.of(TokenKind.OUTPUT, 1_000_000));
    }

    @Test
    void findsNothingToReportWhenEveryStageAgrees() {
        InvoiceView invoice = invoicing.issue(client, MAY);

        ReconciliationReport report = reconciliation.of(invoice.id()).orElseThrow();

        assertThat(report.differences()).isEmpty();
        assertThat(report.balanced()).isTrue();
        assertThat(report.number()).isEqualTo("ACME-2026-000001");
        assertThat(report.ratedEvents()).isEqualTo(10_001);
        assertThat(report.ratedAmount()).isEqualByComparingTo("10.375");
        assertThat(report.linesAmount()).isEqualByComparingTo("10.38");
        assertThat(report.amountDue()).isEqualByComparingTo("11.35");
        assertThat(report.stripeAmount()).isNull();
        assertThat(reconciliation.ofOperatorMonth(client.operatorId(), MAY)).containsExactly(report);
        assertThat(ReconcileAfterRuns.line(report)).isEqualTo("invoice reconciled invoice=" + invoice.id()
                + " number=ACME-2026-000001 events=10001 rated=10.375 lines=10.38 due=11.35 stripe=none currency=USD"
                + " differences=0");
    }

    @Test
    void reconcilesABatchInTheOrderGivenAndLeavesOutIdsOfNoInvoice() throws Exception {
        InvoiceView may = invoicing.issue(client, MAY);
        fixtures.rated(client, "gpt-4o", "2026-06-10T12:00:00Z", 1, Tokens.input(2_000_000));
        clock.set("2026-07-01T00:00:00Z");
        InvoiceView june = invoicing.issue(client, YearMonth.of(2026, 6));
        execute("UPDATE invoice_line SET amount = 5.01 WHERE invoice_id = '" + june.id() + "' AND line_no = 1");

        List<ReconciliationReport> reports = reconciliation.ofAll(List.of(june.id(), UUID.randomUUID(), may.id()));

        // June: 2,000,000 input tokens at $2.50 per million are 5.00, not the 5.01 written over its line.
        assertThat(reports).extracting(ReconciliationReport::number, ReconciliationReport::ratedEvents,
                r -> r.ratedAmount().stripTrailingZeros().toPlainString(), r -> r.linesAmount().toPlainString())
                .containsExactly(tuple("ACME-2026-000002", 1L, "5", "5.01"),
                        tuple("ACME-2026-000001", 10_001L, "10.375", "10.38"));
        assertThat(reports.get(0).differences()).containsExactly(
                new Difference(Stage.RATED_TO_LINES, "line 1 (gpt-4o input at 2.5)", "5.00", "5.01"),
                new Difference(Stage.LINES_TO_TOTALS, "subtotal", "5.01", "5.00"));
        assertThat(reports).containsExactly(reconciliation.of(june.id()).orElseThrow(),
                reconciliation.of(may.id()).orElseThrow());
    }

    @Test
    void tracesRequestAndAudioSecondLinesToTheirRatedUsage() throws Exception {
        fixtures.unitPrice(client, "whisper-1", LineUnit.AUDIO_SECOND, "0.00025");
        fixtures.ratedUnits(client, "whisper-1", "2026-05-21T12:00:00Z", 3, LineUnit.AUDIO_SECOND, 61);
        InvoiceView invoice = invoicing.issue(client, MAY);

        ReconciliationReport balanced = reconciliation.of(invoice.id()).orElseThrow();
        // Each 61 s (0.01525) rounded on its own and added up, written over the line.
        execute("UPDATE invoice_line SET amount = 0.06 WHERE invoice_id = '" + invoice.id() + "' AND line_no = 3");
        ReconciliationReport unbalanced = reconciliation.of(invoice.id()).orElseThrow();

        // 0.38 + 10.00 + 183 s × 0.00025 = 0.04575 → 0.05 makes 10.43; 19 % VAT is 1.98; less 1.00 credit, 11.41.
        assertThat(balanced.differences()).isEmpty();
        assertThat(balanced.ratedEvents()).isEqualTo(10_004);
        assertThat(balanced.ratedAmount()).isEqualByComparingTo("10.42075");
        assertThat(balanced.linesAmount()).isEqualByComparingTo("10.43");
        assertThat(balanced.amountDue()).isEqualByComparingTo("11.41");
        assertThat(unbalanced.differences()).containsExactly(
                new Difference(Stage.RATED_TO_LINES, "line 3 (whisper-1 audio_second at 0.00025)", "0.05", "0.06"),
                new Difference(Stage.LINES_TO_TOTALS, "subtotal", "10.44", "10.43"));
    }

    @Test
    void listsALineThatIsNotItsRatedUsageRoundedOnceAndTheSubtotalItBreaks() throws Exception {
        InvoiceView invoice = invoicing.issue(client, MAY);
        // What rounding each request before adding them up would have produced, written over the line.
        execute("UPDATE invoice_line SET amount = 0.00 WHERE invoice_id = '" + invoice.id() + "' AND line_no = 1");

        ReconciliationReport report = reconciliation.of(invoice.id()).orElseThrow();

        assertThat(report.differences()).containsExactly(
                new Difference(Stage.RATED_TO_LINES, "line 1 (gpt-4o input at 2.5)", "0.38", "0.00"),
                new Difference(Stage.LINES_TO_TOTALS, "subtotal", "10.00", "10.38"));
    }

    @Test
    void listsUsageOfThePeriodThatIsUnpricedOrOnNoInvoice() {
        InvoiceView invoice = invoicing.issue(client, MAY);
        fixtures.rated(client, "gpt-4o", "2026-05-31T23:00:00Z", 3, Tokens.input(1_000));
        fixtures.unpriced(client, "mystery-model", "2026-05-31T23:30:00Z", 2);

        ReconciliationReport report = reconciliation.of(invoice.id()).orElseThrow();

        assertThat(report.differences()).containsExactly(
                new Difference(Stage.EVENTS_TO_RATED, "usage events of the period left unpriced", "0", "2"),
                new Difference(Stage.EVENTS_TO_RATED, "rated usage events of the period on no invoice", "0", "3"));
        assertThat(report.ratedEvents()).isEqualTo(10_001);
    }

    @Test
    void listsTaxAndAmountDueThatDoNotAddUp() throws Exception {
        InvoiceView invoice = invoicing.issue(client, MAY);
        execute("UPDATE invoice_tax SET amount = 1.98 WHERE invoice_id = '" + invoice.id() + "'");
        execute("UPDATE invoice SET amount_due = 11.36 WHERE id = '" + invoice.id() + "'");

        ReconciliationReport report = reconciliation.of(invoice.id()).orElseThrow();

        assertThat(report.differences()).containsExactly(
                new Difference(Stage.LINES_TO_TOTALS, "tax VAT 19%", "1.97", "1.98"),
                new Difference(Stage.LINES_TO_TOTALS, "tax total", "1.98", "1.97"),
                new Difference(Stage.LINES_TO_TOTALS, "amount due", "11.35", "11.36"));
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

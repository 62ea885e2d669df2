package io.tollbooth.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.gson.JsonObject;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.invoice.BillingAccounts;
import io.tollbooth.billing.invoice.BillingTerms;
import io.tollbooth.billing.invoice.CreditBalance;
import io.tollbooth.billing.invoice.CreditNoteView;
import io.tollbooth.billing.invoice.CreditNotes;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.invoice.InvoiceViews;
import io.tollbooth.billing.invoice.RecordedInvoiceRuns;
import io.tollbooth.billing.invoice.ScheduledInvoiceRun;
import io.tollbooth.billing.invoice.TaxRate;
import io.tollbooth.billing.reconciliation.InvoiceReconciliation;
import io.tollbooth.billing.reconciliation.ReconciliationReport;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two months of one client, moved along by the clock: usage, the scheduled run at month end, finalization, the
 * push to Stripe, the payment webhook, then a credit note, usage that arrives late for the closed month and the
 * next month's invoice that carries both. Every cent is asserted where it appears, and reconciliation finds every
 * stage in agreement.
 */
@QuarkusTest
@TestProfile(StripePaymentIntentProfile.class)
class BillingStoryTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final TaxRate VAT = new TaxRate("VAT", new BigDecimal("19"), null);

    @InjectStripeStandIn
    StripeStandIn stripe;

    @Inject
    BillingFixtures fixtures;

    @Inject
    PaymentFixtures payments;

    @Inject
    BillingAccounts accounts;

    @Inject
    CreditBalance credit;

    @Inject
    CreditNotes creditNotes;

    @Inject
    ScheduledInvoiceRun run;

    @Inject
    RecordedInvoiceRuns runs;

    @Inject
    InvoiceViews views;

    @Inject
    StripeCustomers customers;

    @Inject
    StripeInvoiceSync sync;

    @Inject
    StripeWebhooks webhooks;

    @Inject
    InvoiceReconciliation reconciliation;

    @Inject
    TestClock clock;

    @BeforeEach
    void startFromNothing() {
        fixtures.clear();
        stripe.reset();
    }

    @Test
    void billsMayAndJuneToTheCent() {
        // May 1st: a new client with 19 % VAT and $5.00 of prepaid credit, collected by Stripe.
        clock.set("2026-05-01T00:00:00Z");
        Operator acme = fixtures.operator("acme", "Acme AI Services");
        Client client = fixtures.client(acme, "tenant-acme", "Acme Corp", "USD", "UTC",
                Instant.parse("2026-05-01T00:00:00Z"));
        accounts.update(client.id(), BillingTerms.DEFAULTS.withTaxRates(List.of(VAT)));
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(client, "gpt-4o", TokenKind.OUTPUT, "10.00");
        credit.addPrepaid(client.id(), new BigDecimal("5.00"), "welcome credit", "ops-anna");
        String customer = customers.ensure(client.id());
        stripe.setDefaultPaymentMethod(customer, StripeStandIn.PROCESSING_PAYMENT_METHOD);

        // May's usage: 10,000 requests of 15 input tokens ($0.0000375 each) and 1,000,000 output tokens.
        fixtures.rated(client, "gpt-4o", "2026-05-10T12:00:00Z", 10_000, Tokens.input(15));
        fixtures.rated(client, "gpt-4o", "2026-05-20T12:00:00Z", 1, Tokens.of(TokenKind.OUTPUT, 1_000_000));

        // June 1st, five past midnight: the run closes and finalizes May.
        clock.set("2026-06-01T00:05:00Z");
        InvoiceView may = onlyInvoiceOf(run.run(true));

        assertThat(may.number()).isEqualTo("ACME-2026-000001");
        assertThat(linesOf(may)).containsExactly("USAGE gpt-4o input 150,000 0.38",
                "USAGE gpt-4o output 1,000,000 10.00");
        assertThat(totalsOf(may)).isEqualTo("subtotal 10.38, tax 1.97, total 12.35, credit 5.00, due 7.35");

        // Stripe charges the amount due in cents, once; the payment succeeds later and arrives by webhook.
        assertThat(sync.push(may.id()).result()).isEqualTo(PushOutcome.Result.PUSHED);
        StripeStandIn.Request charge = stripe.requests("POST", "/v1/payment_intents").get(0);
        assertThat(charge.params()).contains(entry("amount", "735"), entry("currency", "usd"));
        assertThat(charge.idempotencyKey()).isEqualTo("tollbooth:invoice:" + may.id() + ":payment-intent");
        assertThat(deliverPayment("evt_may_paid", 735).effect()).isEqualTo(PaymentEffect.MARKED_PAID);
        assertThat(payments.transitions(may.id())).containsExactly("null>DRAFT by system",
                "DRAFT>FINALIZED by system", "FINALIZED>SENT by stripe", "SENT>PAID by stripe");

        // June 2nd: usage of May 31st arrives late; June 10th: $2.00 of May is credited for an outage.
        clock.set("2026-06-02T08:00:00Z");
        fixtures.rated(client, "gpt-4o", "2026-05-31T23:00:00Z", 1, Tokens.input(10_000));
        clock.set("2026-06-10T08:00:00Z");
        CreditNoteView note = creditNotes.issue(may.id(), new CreditNotes.Request("outage on June 3rd",
                List.of(new CreditNotes.Line("Outage credit", new BigDecimal("2.00")))), "ops-anna");

        assertThat(note.number()).isEqualTo("CN-ACME-2026-000001");
        assertThat(List.of(note.subtotal().text(), note.taxTotal().text(), note.total().text()))
                .containsExactly("2.00", "0.38", "2.38");
        assertThat(credit.of(client.id(), USD)).isEqualTo(new BigDecimal("2.38"));

        // June's usage: 2,000,000 input tokens.
        fixtures.rated(client, "gpt-4o", "2026-06-15T12:00:00Z", 1, Tokens.input(2_000_000));

        // July 1st: June's invoice carries May's late usage and uses the credit note's credit.
        clock.set("2026-07-01T00:05:00Z");
        InvoiceView june = onlyInvoiceOf(run.run(true));

        assertThat(june.number()).isEqualTo("ACME-2026-000002");
        assertThat(linesOf(june)).containsExactly("USAGE gpt-4o input 2,000,000 5.00",
                "LATE_USAGE gpt-4o input 10,000 0.03");
        assertThat(june.lines().get(1).usageDate()).hasToString("2026-05-31");
        assertThat(totalsOf(june)).isEqualTo("subtotal 5.03, tax 0.96, total 5.99, credit 2.38, due 3.61");
        assertThat(credit.of(client.id(), USD)).isEqualTo(new BigDecimal("0.00"));

        assertThat(sync.push(june.id()).result()).isEqualTo(PushOutcome.Result.PUSHED);
        assertThat(stripe.requests("POST", "/v1/payment_intents")).hasSize(2);
        assertThat(stripe.requests("POST", "/v1/payment_intents").get(1).params()).contains(entry("amount", "361"));
        assertThat(views.find(may.id()).orElseThrow().creditNotes()).extracting(InvoiceView.CreditNoteRef::number)
                .containsExactly("CN-ACME-2026-000001");

        // From events to Stripe, nothing differs: May's late row is billed on June's invoice, May was paid 7.35.
        ReconciliationReport mayReport = reconciliation.of(may.id()).orElseThrow();
        ReconciliationReport juneReport = reconciliation.of(june.id()).orElseThrow();
        assertThat(mayReport.differences()).isEmpty();
        assertThat(mayReport.ratedEvents()).isEqualTo(10_001);
        assertThat(mayReport.stripeAmount()).isEqualByComparingTo("7.35");
        assertThat(juneReport.differences()).isEmpty();
        assertThat(juneReport.ratedEvents()).isEqualTo(2);
        assertThat(juneReport.ratedAmount()).isEqualByComparingTo("5.025");
        assertThat(juneReport.stripeAmount()).isNull();
    }

    private InvoiceView onlyInvoiceOf(ScheduledInvoiceRun.Report report) {
        assertThat(report.created()).isEqualTo(1);
        assertThat(report.periods()).isEqualTo(1);
        assertThat(runs.invoicesOfLatestRun()).hasSize(1);
        return views.find(runs.invoicesOfLatestRun().get(0)).orElseThrow();
    }

    private static List<String> linesOf(InvoiceView invoice) {
        return invoice.lines().stream().map(line -> line.type() + " " + line.model() + " " + line.kind().code() + " "
                + line.quantityText() + " " + line.amount().text()).toList();
    }

    private static String totalsOf(InvoiceView invoice) {
        return "subtotal " + invoice.subtotal().text() + ", tax " + invoice.taxTotal().text() + ", total "
                + invoice.total().text() + ", credit " + invoice.creditApplied().text() + ", due "
                + invoice.amountDue().text();
    }

    private WebhookReceipt deliverPayment(String eventId, long amountReceived) {
        JsonObject intent = stripe.objects("payment_intent").get(0).deepCopy();
        intent.addProperty("status", "succeeded");
        intent.addProperty("amount_received", amountReceived);
        byte[] body = WebhookDeliveries.event(eventId, "payment_intent.succeeded", intent);
        return webhooks.receive(body, WebhookDeliveries.signature(body, clock.instant(),
                StripeEnabledProfile.WEBHOOK_SECRET));
    }
}

package io.tollbooth.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.Invoicing;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.reconciliation.InvoiceReconciliation;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What re-rating finds for an issued invoice is credited by a credit note or charged on the next invoice, once. */
@QuarkusTest
class RatingAdjustmentsTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);
    private static final YearMonth JUNE = YearMonth.of(2026, 6);
    private static final Currency USD = Currency.getInstance("USD");
    private static final String RERATED_AT = "2026-06-10T08:00:00Z";

    @Inject
    RatingAdjustments adjustments;

    @Inject
    Invoicing invoicing;

    @Inject
    InvoiceLifecycle lifecycle;

    @Inject
    InvoiceReconciliation reconciliation;

    @Inject
    BillingAccounts billingAccounts;

    @Inject
    CreditBalance credit;

    @Inject
    BillingAudit audit;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    private Client client;
    private InvoiceView may;

    @BeforeEach
    void anIssuedMayInvoiceWithVat() {
        fixtures.clear();
        clock.set("2026-06-02T09:00:00Z");
        Operator acme = fixtures.operator("acme", "Acme AI Services");
        client = fixtures.client(acme, "tenant-acme", "Acme Corp", "USD", "UTC");
        billingAccounts.update(client.id(), BillingTerms.DEFAULTS.withTaxRates(
                List.of(new TaxRate("VAT", new BigDecimal("19"), null))));
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(client, "gpt-4o", TokenKind.OUTPUT, "10.00");
        fixtures.rated(client, "gpt-4o", "2026-05-10T12:00:00Z", 10_000, Tokens.input(15));
        fixtures.rated(client, "gpt-4o", "2026-05-20T12:00:00Z", 1, Tokens.of(TokenKind.OUTPUT, 1_000_000));
        // 0.375 → 0.38 and 10.00: 10.38, VAT 1.9722 → 1.97, total 12.35.
        may = invoicing.issue(client, MAY);
        clock.set(RERATED_AT);
    }

    @Test
    void creditsWhatAnInvoiceChargedTooMuchOnceWithItsTax() {
        // The output price should have been lower: 10.375 was charged for usage now worth 9.3712345.
        fixtures.ratingAdjustment(client, may.id(), 10_001, "10.375", "9.3712345", RERATED_AT);

        List<CreditNoteView> notes = adjustments.creditOverchargedInvoices(null, Invoicing.ACTOR);
        List<CreditNoteView> again = adjustments.creditOverchargedInvoices(null, Invoicing.ACTOR);

        // -1.0037655 is credited as 1.00, rounded once; 19 % of it is 0.19.
        assertThat(notes).singleElement().satisfies(note -> {
            assertThat(note.number()).isEqualTo("CN-ACME-2026-000001");
            assertThat(note.invoiceNumber()).isEqualTo("ACME-2026-000001");
            assertThat(note.lines()).extracting(l -> l.description(), l -> l.amount().text())
                    .containsExactly(tuple("Re-rating of invoice ACME-2026-000001 (10001 events)", "1.00"));
            assertThat(note.subtotal().text()).isEqualTo("1.00");
            assertThat(note.taxTotal().text()).isEqualTo("0.19");
            assertThat(note.total().text()).isEqualTo("1.19");
            assertThat(note.reason()).isEqualTo("Correction after re-rating of invoice ACME-2026-000001"
                    + " (10001 events, -1.0037655 USD)");
            assertThat(audit.history(note.id())).extracting(BillingAudit.Entry::to, BillingAudit.Entry::actor)
                    .containsExactly(tuple("ISSUED", Invoicing.ACTOR));
        });
        assertThat(again).isEmpty();
        assertThat(fixtures.count("credit_note")).isEqualTo(1);
        assertThat(fixtures.count("rating_adjustment WHERE settled_at IS NOT NULL AND credit_note_id IS NOT NULL"))
                .isEqualTo(1);
        assertThat(credit.of(client.id(), USD)).isEqualByComparingTo("1.19");
    }

    @Test
    void chargesWhatAnInvoiceChargedTooLittleOnTheNextInvoiceOnce() {
        fixtures.ratingAdjustment(client, may.id(), 3, "10.375", "10.498456", RERATED_AT);
        fixtures.rated(client, "gpt-4o", "2026-06-15T12:00:00Z", 1, Tokens.input(1_000_000));
        clock.set("2026-07-02T09:00:00Z");

        assertThat(adjustments.creditOverchargedInvoices(null, Invoicing.ACTOR)).isEmpty();
        InvoiceView draft = invoicing.draft(client, JUNE);
        InvoiceView regenerated = lifecycle.regenerate(draft.id(), Invoicing.ACTOR);
        InvoiceView june = lifecycle.finalizeInvoice(draft.id(), Invoicing.ACTOR);

        // 2.50 of June's usage and 0.123456 charged too little in May, rounded once to 0.12: 2.62; VAT 0.4978 → 0.50.
        assertThat(june.lines()).extracting(l -> l.type(), l -> l.description(), l -> l.amount().text())
                .containsExactly(
                        tuple(LineType.USAGE, "gpt-4o input tokens", "2.50"),
                        tuple(LineType.RERATING, "Re-rating of invoice ACME-2026-000001 (3 events): 0.123456 USD"
                                + " charged too little", "0.12"));
        assertThat(regenerated.lines()).hasSize(2);
        assertThat(june.subtotal().text()).isEqualTo("2.62");
        assertThat(june.taxTotal().text()).isEqualTo("0.50");
        assertThat(june.amountDue().text()).isEqualTo("3.12");
        assertThat(reconciliation.of(june.id()).orElseThrow().differences()).isEmpty();
        assertThat(reconciliation.of(may.id()).orElseThrow().differences()).isEmpty();
        assertThat(fixtures.count("rating_adjustment WHERE settled_at IS NOT NULL AND billed_on_invoice_id = '"
                + june.id() + "'")).isEqualTo(1);
        assertThat(fixtures.count("credit_note")).isZero();
    }

    @Test
    void givesAChargeBackWhenTheInvoiceThatCarriedItIsVoided() {
        fixtures.ratingAdjustment(client, may.id(), 3, "10.375", "10.498456", RERATED_AT);
        clock.set("2026-07-02T09:00:00Z");
        InvoiceView june = invoicing.issue(client, JUNE);

        lifecycle.voidInvoice(june.id(), Invoicing.ACTOR, "sent to the wrong address");
        clock.set("2026-08-02T09:00:00Z");
        InvoiceView july = invoicing.issue(client, YearMonth.of(2026, 7));

        assertThat(june.lines()).extracting(l -> l.amount().text()).containsExactly("0.12");
        assertThat(july.lines()).extracting(l -> l.type(), l -> l.amount().text())
                .containsExactly(tuple(LineType.RERATING, "0.12"));
        assertThat(july.amountDue().text()).isEqualTo("0.14");
    }

    @Test
    void settlesADifferenceThatRoundsToNothingWithoutACreditNoteAndAuditsIt() {
        fixtures.ratingAdjustment(client, may.id(), 2, "10.375", "10.371", RERATED_AT);

        assertThat(adjustments.creditOverchargedInvoices(null, Invoicing.ACTOR)).isEmpty();

        assertThat(fixtures.count("credit_note")).isZero();
        assertThat(fixtures.count("rating_adjustment WHERE settled_at IS NOT NULL")).isEqualTo(1);
        assertThat(audit.history(may.id())).last().satisfies(entry -> {
            assertThat(entry.from()).isEqualTo("FINALIZED");
            assertThat(entry.to()).isEqualTo("FINALIZED");
            assertThat(entry.reason()).isEqualTo("re-rating of invoice ACME-2026-000001 (2 events, -0.004 USD)"
                    + " settled without a credit note: it rounds to nothing");
        });
    }

    @Test
    void issuesOneCreditNoteWhenTwoInstancesSettleAtOnce() throws Exception {
        fixtures.ratingAdjustment(client, may.id(), 10_001, "10.375", "9.3712345", RERATED_AT);
        CountDownLatch start = new CountDownLatch(1);
        Callable<List<CreditNoteView>> settle = () -> {
            start.await();
            return adjustments.creditOverchargedInvoices(null, Invoicing.ACTOR);
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<CreditNoteView>> first = pool.submit(settle);
            Future<List<CreditNoteView>> second = pool.submit(settle);
            start.countDown();

            assertThat(first.get().size() + second.get().size()).isEqualTo(1);
            assertThat(fixtures.count("credit_note")).isEqualTo(1);
            assertThat(credit.of(client.id(), USD)).isEqualByComparingTo("1.19");
        } finally {
            pool.shutdownNow();
        }
    }
}

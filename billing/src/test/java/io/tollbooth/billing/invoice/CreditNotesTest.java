package io.tollbooth.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.Invoicing;
import io.tollbooth.billing.TestClock;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Credit notes correct issued invoices, in part or in full, with their own gapless numbers. */
@QuarkusTest
class CreditNotesTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);
    private static final String MID_MAY = "2026-05-15T12:00:00Z";
    private static final Currency USD = Currency.getInstance("USD");

    @Inject
    CreditNotes creditNotes;

    @Inject
    Invoicing invoicing;

    @Inject
    InvoiceViews views;

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
    private InvoiceView invoice;

    @BeforeEach
    void anIssuedInvoiceWithVat() {
        fixtures.clear();
        clock.set("2026-06-02T09:00:00Z");
        Operator acme = fixtures.operator("acme", "Acme AI Services");
        client = fixtures.client(acme, "tenant-acme", "Acme Tenant", "USD", "UTC");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(client, "gpt-4o", TokenKind.OUTPUT, "10.00");
        billingAccounts.update(client.id(), BillingTerms.DEFAULTS.withTaxRates(
                List.of(new TaxRate("VAT", new BigDecimal("19"), null))));
        // 1,001,000 input tokens: 2.5025 → 2.50; 333,333 output tokens: 3.33333 → 3.33. Subtotal 5.83, VAT 1.1077.
        fixtures.rated(client, "gpt-4o", MID_MAY, 1, Tokens.inputAndOutput(1_001_000, 333_333));
        invoice = invoicing.issue(client, MAY);
        clock.set("2026-06-10T09:00:00Z");
    }

    @Test
    void creditsAWholeInvoiceLineByLineWithItsExactTax() {
        CreditNoteView note = creditNotes.issue(invoice.id(), CreditNotes.Request.full("service outage"),
                "finance-ben");

        assertThat(List.of(invoice.subtotal().text(), invoice.taxTotal().text(), invoice.total().text()))
                .containsExactly("5.83", "1.11", "6.94");
        assertThat(note.number()).isEqualTo("CN-ACME-2026-000001");
        assertThat(note.invoiceNumber()).isEqualTo("ACME-2026-000001");
        assertThat(note.issueDate()).isEqualTo(LocalDate.of(2026, 6, 10));
        assertThat(note.lines()).extracting(l -> l.description(), l -> l.amount().text())
                .containsExactly(tuple("gpt-4o input tokens", "2.50"), tuple("gpt-4o output tokens", "3.33"));
        assertThat(List.of(note.subtotal().text(), note.taxTotal().text(), note.total().text()))
                .containsExactly("5.83", "1.11", "6.94");
        assertThat(credit.of(client.id(), USD)).isEqualTo(new BigDecimal("6.94"));
        assertThat(audit.history(note.id())).extracting(BillingAudit.Entry::to, BillingAudit.Entry::actor,
                BillingAudit.Entry::reason).containsExactly(tuple("ISSUED", "finance-ben", "service outage"));
    }

    @Test
    void creditsPartThenTheRestWithoutATaxCentTooManyOrTooFew() {
        CreditNoteView part = creditNotes.issue(invoice.id(), new CreditNotes.Request("goodwill",
                List.of(new CreditNotes.Line("Goodwill for slow responses", new BigDecimal("0.07")))), "ops-anna");
        CreditNoteView rest = creditNotes.issue(invoice.id(), CreditNotes.Request.full("contract ended"), "ops-anna");

        // 19 % of 0.07 is 0.0133 → 0.01. 19 % of the rest, 5.76, would be 1.0944 → 1.09, and the two notes would
        // credit 1.10 of the invoice's 1.11 tax; the note that credits the rest takes the rest of the tax, 1.10.
        assertThat(List.of(part.number(), part.subtotal().text(), part.taxTotal().text(), part.total().text()))
                .containsExactly("CN-ACME-2026-000001", "0.07", "0.01", "0.08");
        assertThat(rest.lines()).extracting(l -> l.description(), l -> l.amount().text())
                .containsExactly(tuple("Rest of invoice ACME-2026-000001", "5.76"));
        assertThat(List.of(rest.number(), rest.subtotal().text(), rest.taxTotal().text(), rest.total().text()))
                .containsExactly("CN-ACME-2026-000002", "5.76", "1.10", "6.86");
        assertThat(credit.of(client.id(), USD)).isEqualTo(new BigDecimal("6.94"));
        assertThat(views.find(invoice.id()).orElseThrow().creditNotes()).extracting(c -> c.number(),
                c -> c.total().text())
                .containsExactly(tuple("CN-ACME-2026-000001", "0.08"), tuple("CN-ACME-2026-000002", "6.86"));
    }

    @Test
    void refusesToCreditMoreThanIsLeft() {
        creditNotes.issue(invoice.id(), new CreditNotes.Request("goodwill",
                List.of(new CreditNotes.Line("Goodwill", new BigDecimal("5.00")))), "ops-anna");

        assertThatThrownBy(() -> creditNotes.issue(invoice.id(), new CreditNotes.Request("more",
                List.of(new CreditNotes.Line("More goodwill", new BigDecimal("0.84")))), "ops-anna"))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.CREDIT_EXCEEDS_INVOICE))
                .hasMessage("invoice ACME-2026-000001 has 0.83 USD left to credit before tax; a credit note of"
                        + " 0.84 USD is not possible");
        assertThat(fixtures.count("credit_note")).isEqualTo(1);
        assertThat(fixtures.count("credit_note_number_counter")).isEqualTo(1);
    }

    @Test
    void refusesAmountsWithMoreDecimalsThanTheCurrency() {
        assertThatThrownBy(() -> creditNotes.issue(invoice.id(), new CreditNotes.Request("goodwill",
                List.of(new CreditNotes.Line("Goodwill", new BigDecimal("0.005")))), "ops-anna"))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.INVALID_AMOUNT));
    }

    @Test
    void refusesToCreditADraftOrAVoidInvoice() {
        Client other = fixtures.client(fixtures.operator("globex", "Globex"), "beta", "Beta", "USD", "UTC");
        InvoiceView draft = invoicing.draft(other, MAY);

        assertThatThrownBy(() -> creditNotes.issue(draft.id(), CreditNotes.Request.full("x"), "ops-anna"))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.INVALID_TRANSITION));
    }

    @Test
    void keepsItsOwnNumberSeriesApartFromInvoices() {
        creditNotes.issue(invoice.id(), CreditNotes.Request.full("outage"), "ops-anna");
        Client second = fixtures.client(fixtures.operatorNamed("acme"), "second", "Second", "USD", "UTC");

        InvoiceView next = invoicing.issue(second, MAY);

        assertThat(next.number()).isEqualTo("ACME-2026-000002");
    }
}

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
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a draft holds: usage lines, the minimum-commitment true-up, late usage, tax and prepaid credit. */
@QuarkusTest
class InvoiceDraftsTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);
    private static final YearMonth JUNE = YearMonth.of(2026, 6);
    private static final String MID_MAY = "2026-05-15T12:00:00Z";
    private static final Currency USD = Currency.getInstance("USD");
    private static final TaxRate VAT_19 = new TaxRate("VAT", new BigDecimal("19"), null);
    private static final TaxRate REVERSE_CHARGE = new TaxRate("VAT", BigDecimal.ZERO,
            "Reverse charge: VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC)");

    @Inject
    Invoicing invoicing;

    @Inject
    InvoiceLifecycle lifecycle;

    @Inject
    BillingAccounts billingAccounts;

    @Inject
    CreditBalance credit;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    private Operator acme;
    private Client client;

    @BeforeEach
    void aClientOnPlanTWithZeroMarkup() {
        fixtures.clear();
        clock.set("2026-06-02T00:00:00Z");
        acme = fixtures.operator("acme", "Acme AI Services");
        client = fixtures.client(acme, "tenant-acme", "Acme Tenant", "USD", "UTC");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(client, "gpt-4o", TokenKind.OUTPUT, "10.00");
    }

    @Test
    void appliesPrepaidCreditWithoutEverGoingBelowZero() {
        // Case 20(b): three fees of 3.3333 on one line, 20.00 prepaid credit.
        fixtures.price(client, "fee", TokenKind.INPUT, "3.3333");
        fixtures.rated(client, "fee", MID_MAY, 3, Tokens.input(1_000_000));
        credit.addPrepaid(client.id(), new BigDecimal("20.00"), "prepayment", Invoicing.ACTOR);

        InvoiceView invoice = invoicing.issue(client, MAY);

        assertThat(invoice.lines()).extracting(l -> l.amount().text()).containsExactly("10.00");
        assertThat(invoice.total().text()).isEqualTo("10.00");
        assertThat(invoice.creditApplied().text()).isEqualTo("10.00");
        assertThat(invoice.amountDue().text()).isEqualTo("0.00");
        assertThat(credit.of(client.id(), USD)).isEqualTo(new BigDecimal("10.00"));
    }

    @Test
    void usesAllOfASmallerCreditAndLeavesTheRestDue() {
        fixtures.rated(client, "gpt-4o", MID_MAY, 3, Tokens.input(1_000_000));
        credit.addPrepaid(client.id(), new BigDecimal("5.00"), null, Invoicing.ACTOR);

        InvoiceView invoice = invoicing.issue(client, MAY);

        assertThat(List.of(invoice.total().text(), invoice.creditApplied().text(), invoice.amountDue().text()))
                .containsExactly("7.50", "5.00", "2.50");
        assertThat(credit.of(client.id(), USD)).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void previewsCreditOnADraftAndTakesItOnlyWhenFinalizing() {
        fixtures.rated(client, "gpt-4o", MID_MAY, 3, Tokens.input(1_000_000));
        credit.addPrepaid(client.id(), new BigDecimal("5.00"), null, Invoicing.ACTOR);

        InvoiceView draft = invoicing.draft(client, MAY);

        assertThat(draft.creditApplied().text()).isEqualTo("5.00");
        assertThat(draft.amountDue().text()).isEqualTo("2.50");
        assertThat(credit.of(client.id(), USD)).isEqualTo(new BigDecimal("5.00"));
    }

    @Test
    void computesTaxOncePerRateOnTheSubtotalNotPerLine() {
        // Two lines of 0.05; 19 % per line would be 0.01 + 0.01, on the subtotal 0.10 it is 0.019 → 0.02.
        // 10 %: per line 0.005 → 0.01 twice = 0.02, on the subtotal 0.01.
        terms(List.of(VAT_19, new TaxRate("Local levy", new BigDecimal("10"), null)));
        fixtures.rated(client, "gpt-4o", MID_MAY, 1, Tokens.inputAndOutput(20_000, 5_000));

        InvoiceView invoice = invoicing.draft(client, MAY);

        assertThat(invoice.lines()).extracting(l -> l.amount().text()).containsExactly("0.05", "0.05");
        assertThat(invoice.taxes()).extracting(t -> t.label(), t -> t.taxableAmount().text(), t -> t.amount().text())
                .containsExactly(tuple("VAT 19%", "0.10", "0.02"), tuple("Local levy 10%", "0.10", "0.01"));
        assertThat(invoice.taxTotal().text()).isEqualTo("0.03");
        assertThat(invoice.total().text()).isEqualTo("0.13");
        assertThat(invoice.amountDue().text()).isEqualTo("0.13");
    }

    @Test
    void chargesNoTaxUnderAReverseChargeAndSaysWhy() {
        terms(List.of(REVERSE_CHARGE));
        fixtures.rated(client, "gpt-4o", MID_MAY, 4, Tokens.input(1_000_000));

        InvoiceView invoice = invoicing.issue(client, MAY);

        assertThat(invoice.taxes()).singleElement().satisfies(tax -> {
            assertThat(tax.amount().text()).isEqualTo("0.00");
            assertThat(tax.reverseChargeNote()).startsWith("Reverse charge: VAT to be accounted for");
        });
        assertThat(invoice.total().text()).isEqualTo("10.00");
    }

    @Test
    void appliesCreditAfterTax() {
        terms(List.of(VAT_19));
        fixtures.rated(client, "gpt-4o", MID_MAY, 4, Tokens.input(1_000_000));
        credit.addPrepaid(client.id(), new BigDecimal("20.00"), null, Invoicing.ACTOR);

        InvoiceView invoice = invoicing.issue(client, MAY);

        assertThat(List.of(invoice.subtotal().text(), invoice.taxTotal().text(), invoice.total().text(),
                invoice.creditApplied().text(), invoice.amountDue().text()))
                .containsExactly("10.00", "1.90", "11.90", "11.90", "0.00");
        assertThat(credit.of(client.id(), USD)).isEqualTo(new BigDecimal("8.10"));
    }

    @Test
    void truesUpUsageBelowTheMinimumCommitment() {
        commitment("10.00");
        fixtures.rated(client, "gpt-4o", MID_MAY, 3, Tokens.input(1_000_000));

        InvoiceView invoice = invoicing.draft(client, MAY);

        assertThat(invoice.lines()).extracting(InvoiceView.Line::type, InvoiceView.Line::description,
                l -> l.amount().text())
                .containsExactly(
                        tuple(LineType.USAGE, "gpt-4o input tokens", "7.50"),
                        tuple(LineType.MINIMUM_COMMITMENT, "Minimum commitment true-up (commitment 10.00 USD)",
                                "2.50"));
        assertThat(invoice.subtotal().text()).isEqualTo("10.00");
    }

    @Test
    void addsNoTrueUpWhenUsageMeetsTheCommitment() {
        commitment("10.00");
        fixtures.rated(client, "gpt-4o", MID_MAY, 5, Tokens.input(1_000_000));

        InvoiceView invoice = invoicing.draft(client, MAY);

        assertThat(invoice.lines()).extracting(InvoiceView.Line::type).containsExactly(LineType.USAGE);
        assertThat(invoice.total().text()).isEqualTo("12.50");
    }

    @Test
    void carriesUsageThatArrivesAfterItsPeriodWasInvoicedIntoTheNextInvoice() {
        fixtures.rated(client, "gpt-4o", MID_MAY, 2, Tokens.input(1_000_000));
        InvoiceView may = invoicing.issue(client, MAY);
        // Rated after May was invoiced: an event of May 31 that reached metering late.
        fixtures.rated(client, "gpt-4o", "2026-05-31T22:00:00Z", 1, Tokens.input(2_000_000));
        fixtures.rated(client, "gpt-4o", "2026-06-10T00:00:00Z", 1, Tokens.input(1_000_000));
        clock.set("2026-07-01T00:00:00Z");

        InvoiceView june = invoicing.draft(client, JUNE);

        assertThat(may.total().text()).isEqualTo("5.00");
        assertThat(june.lines()).extracting(InvoiceView.Line::type, InvoiceView.Line::description,
                InvoiceView.Line::usageDate, InvoiceView.Line::quantity, l -> l.amount().text())
                .containsExactly(
                        tuple(LineType.USAGE, "gpt-4o input tokens", null, 1_000_000L, "2.50"),
                        tuple(LineType.LATE_USAGE, "Late usage of 2026-05-31: gpt-4o input tokens",
                                LocalDate.of(2026, 5, 31), 2_000_000L, "5.00"));
        assertThat(june.total().text()).isEqualTo("7.50");
    }

    @Test
    void billsLateUsageOnceAcrossRegenerationsAndLaterInvoices() {
        fixtures.rated(client, "gpt-4o", MID_MAY, 1, Tokens.input(1_000_000));
        invoicing.issue(client, MAY);
        fixtures.rated(client, "gpt-4o", "2026-05-20T00:00:00Z", 1, Tokens.input(4_000_000));
        clock.set("2026-08-01T00:00:00Z");

        InvoiceView june = invoicing.draft(client, JUNE);
        InvoiceView regenerated = lifecycle.regenerate(june.id(), Invoicing.ACTOR);
        lifecycle.finalizeInvoice(june.id(), Invoicing.ACTOR);
        InvoiceView july = invoicing.draft(client, YearMonth.of(2026, 7));

        assertThat(regenerated.total().text()).isEqualTo("10.00");
        assertThat(july.lines()).isEmpty();
        assertThat(july.total().text()).isEqualTo("0.00");
    }

    @Test
    void leavesUsageOfAPeriodWhoseInvoiceIsStillADraftToThatDraft() {
        fixtures.rated(client, "gpt-4o", MID_MAY, 1, Tokens.input(1_000_000));
        InvoiceView mayDraft = invoicing.draft(client, MAY);
        fixtures.rated(client, "gpt-4o", "2026-05-20T00:00:00Z", 1, Tokens.input(1_000_000));
        clock.set("2026-07-01T00:00:00Z");

        InvoiceView june = invoicing.draft(client, JUNE);
        InvoiceView may = lifecycle.regenerate(mayDraft.id(), Invoicing.ACTOR);

        assertThat(june.lines()).isEmpty();
        assertThat(may.lines()).extracting(InvoiceView.Line::quantity).containsExactly(2_000_000L);
        assertThat(may.total().text()).isEqualTo("5.00");
    }

    private void terms(List<TaxRate> rates) {
        billingAccounts.update(client.id(), BillingTerms.DEFAULTS.withTaxRates(rates));
    }

    private void commitment(String amount) {
        billingAccounts.update(client.id(), new BillingTerms(1, 30, Locale.US, null, null, null, null,
                new BigDecimal(amount), List.of()));
    }
}

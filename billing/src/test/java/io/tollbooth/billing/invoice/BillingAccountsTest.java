package io.tollbooth.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.Invoicing;
import io.tollbooth.billing.TestClock;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client's billing account: defaults, changes, and the checks on them. */
@QuarkusTest
class BillingAccountsTest {

    private static final TaxRate VAT = new TaxRate("VAT", new BigDecimal("19"), null);

    @Inject
    BillingAccounts billingAccounts;

    @Inject
    ClientAccounts accounts;

    @Inject
    Invoicing invoicing;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    private Client client;

    @BeforeEach
    void aClientWithoutAnAccount() {
        fixtures.clear();
        clock.set("2026-06-02T00:00:00Z");
        client = fixtures.client(fixtures.operator("acme", "Acme"), "alpha", "Alpha", "JPY", "Asia/Tokyo");
    }

    @Test
    void billsCalendarMonthsNetThirtyWithoutTaxByDefault() {
        assertThat(accounts.find(client.id()).orElseThrow().terms()).isEqualTo(BillingTerms.DEFAULTS);
    }

    @Test
    void storesEveryTermAndTheTaxRatesInOrder() {
        BillingTerms terms = new BillingTerms(10, 14, Locale.JAPAN, "経理部", "keiri@alpha.test", "東京都千代田区1-1",
                "PO-123", new BigDecimal("5000"), List.of(VAT, new TaxRate("Levy", new BigDecimal("0.5"), null)));

        ClientAccount updated = billingAccounts.update(client.id(), terms);

        assertThat(updated.terms()).usingRecursiveComparison().withComparatorForType(BigDecimal::compareTo,
                BigDecimal.class).isEqualTo(terms);
    }

    @Test
    void refusesACommitmentWithMoreDecimalsThanTheCurrency() {
        BillingTerms terms = new BillingTerms(1, 30, Locale.US, null, null, null, null, new BigDecimal("10.5"),
                List.of());

        assertThatThrownBy(() -> billingAccounts.update(client.id(), terms))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.INVALID_BILLING_TERMS))
                .hasMessage("minimumCommitment must be a non-negative amount with at most 0 decimals in JPY");
    }

    @Test
    void refusesAReverseChargeWithARate() {
        BillingTerms terms = BillingTerms.DEFAULTS.withTaxRates(List.of(new TaxRate("VAT", new BigDecimal("19"),
                "reverse charge")));

        assertThatThrownBy(() -> billingAccounts.update(client.id(), terms))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.INVALID_BILLING_TERMS));
    }

    @Test
    void keepsTheBillingDayOnceTheClientHasInvoices() {
        invoicing.draft(client, YearMonth.of(2026, 5));

        assertThatThrownBy(() -> billingAccounts.update(client.id(), new BillingTerms(15, 30, Locale.US, null, null,
                null, null, null, List.of())))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.BILLING_DAY_LOCKED));
        assertThat(billingAccounts.update(client.id(), BillingTerms.DEFAULTS.withTaxRates(List.of(VAT)))
                .terms().taxRates()).containsExactly(VAT);
    }
}

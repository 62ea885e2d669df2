package io.tollbooth.billing.invoice;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * How a client is billed (table {@code billing_account} and its {@code tax_rate}s); currency and time zone stay
 * on the client. A client without a billing account row has {@link #DEFAULTS}.
 *
 * @param billingDay the day of the month on which each period starts, 1 to 28; 1 bills calendar months
 * @param paymentTermsDays days from the issue date to the due date ("net 30")
 * @param locale how amounts and dates are written for the client, for example {@code de-DE}
 * @param contactName the person or department invoices are addressed to; null if none
 * @param contactEmail where invoices are sent; null if none
 * @param billingAddress the client's postal address, lines separated by newlines; null if none
 * @param purchaseOrder the client's purchase order number, printed on its invoices; null if none
 * @param minimumCommitment the least a period is billed for its usage, in the client's currency; a period whose
 *     usage comes to less gets a true-up line for the difference. Null if none
 * @param taxRates the taxes on the client's invoices, in order; empty if none
 */
public record BillingTerms(
        int billingDay,
        int paymentTermsDays,
        Locale locale,
        String contactName,
        String contactEmail,
        String billingAddress,
        String purchaseOrder,
        BigDecimal minimumCommitment,
        List<TaxRate> taxRates) {

    /** The terms of a client without a billing account: calendar months, net 30, en-US, no tax. */
    public static final BillingTerms DEFAULTS = new BillingTerms(1, 30, Locale.US, null, null, null, null, null,
            List.of());

    public BillingTerms {
        taxRates = List.copyOf(taxRates);
    }

    /** The same terms with other tax rates. */
    public BillingTerms withTaxRates(List<TaxRate> rates) {
        return new BillingTerms(billingDay, paymentTermsDays, locale, contactName, contactEmail, billingAddress,
                purchaseOrder, minimumCommitment, rates);
    }
}

package io.tollbooth.billing.invoice;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Currency;
import java.util.UUID;

/**
 * What billing needs to know about a client and the operator that bills it, read from {@code client},
 * {@code billing_account}, {@code tax_rate} and {@code operator}.
 *
 * @param clientId the client's id
 * @param clientSlug the client's short name, unique per operator
 * @param clientName the client's name as billed
 * @param currency the client's billing currency
 * @param zone the client's time zone; billing periods are computed in it
 * @param operatorId the operator that issues the client's invoices
 * @param operatorSlug the operator's short name; invoice numbers start with it in upper case
 * @param operatorName the operator's name as printed on invoices
 * @param operatorAddress the operator's postal address, lines separated by newlines; null if unknown
 * @param operatorTaxId the operator's tax id; null if unknown
 * @param terms how the client is billed: billing day, payment terms, tax, bill-to details
 */
public record ClientAccount(
        UUID clientId,
        String clientSlug,
        String clientName,
        Currency currency,
        ZoneId zone,
        UUID operatorId,
        String operatorSlug,
        String operatorName,
        String operatorAddress,
        String operatorTaxId,
        BillingTerms terms) {

    /** The client's billing period that starts in {@code month}, on the client's billing day and in its zone. */
    public BillingPeriod periodStartingIn(YearMonth month) {
        return BillingPeriod.of(month, zone, terms.billingDay());
    }
}

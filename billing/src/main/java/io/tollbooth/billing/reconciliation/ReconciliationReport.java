package io.tollbooth.billing.reconciliation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * One invoice traced from its usage events to Stripe: the amounts at each stage and every difference found.
 *
 * @param invoiceId the invoice
 * @param number its number; null while a draft
 * @param clientId the client billed
 * @param periodStart the first day of the period, in the client's zone
 * @param periodEnd the first day after the period
 * @param currency the invoice's currency (ISO 4217)
 * @param ratedEvents the usage events whose rated usage the invoice bills
 * @param ratedAmount the sum of that rated usage at full precision, never rounded
 * @param linesAmount the sum of the invoice's lines, each rounded once
 * @param amountDue what the client owes after tax and credit
 * @param stripeAmount what Stripe was asked to collect (the pushed items' sum, or the PaymentIntent's paid
 *     amount); null if the invoice has not reached Stripe
 * @param differences every disagreement, in stage order; empty when everything agrees
 */
public record ReconciliationReport(
        UUID invoiceId,
        String number,
        UUID clientId,
        LocalDate periodStart,
        LocalDate periodEnd,
        String currency,
        long ratedEvents,
        BigDecimal ratedAmount,
        BigDecimal linesAmount,
        BigDecimal amountDue,
        BigDecimal stripeAmount,
        List<Difference> differences) {

    /** Whether every stage agrees with the one before it. */
    public boolean balanced() {
        return differences.isEmpty();
    }
}

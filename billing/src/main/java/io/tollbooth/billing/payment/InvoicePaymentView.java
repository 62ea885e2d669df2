package io.tollbooth.billing.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * How an invoice is being collected through Stripe, for the operator.
 *
 * @param invoiceId the invoice
 * @param mode invoice items and a Stripe invoice, or a PaymentIntent
 * @param syncStatus how far the push got
 * @param customerId the Stripe customer; null until known
 * @param stripeInvoiceId the Stripe invoice; null unless Stripe confirmed one
 * @param paymentIntentId the PaymentIntent; null unless Stripe confirmed or reported one
 * @param attempts pushes started
 * @param lastAttemptAt when the last push started; null if none did
 * @param syncErrorCode why the last push did not complete; null if it did
 * @param syncError the same for people, with Stripe's message and request id
 * @param pushedAt when Stripe confirmed the push; null until then
 * @param paidAmount what Stripe reported paid, in the invoice's currency; null until paid
 * @param paidAt when the payment was recorded; null until paid
 * @param refundedAmount what Stripe reported refunded; null if nothing
 * @param paymentError why the last payment failed or did not settle the invoice; null if none
 */
public record InvoicePaymentView(
        UUID invoiceId,
        StripeMode mode,
        PaymentSyncStatus syncStatus,
        String customerId,
        String stripeInvoiceId,
        String paymentIntentId,
        int attempts,
        Instant lastAttemptAt,
        PaymentSyncError syncErrorCode,
        String syncError,
        Instant pushedAt,
        BigDecimal paidAmount,
        Instant paidAt,
        BigDecimal refundedAmount,
        String paymentError) {

    static InvoicePaymentView of(InvoicePayment p) {
        return new InvoicePaymentView(p.invoiceId, p.mode, p.syncStatus, p.customerId, p.stripeInvoiceId,
                p.paymentIntentId, p.attempts, p.lastAttemptAt, p.syncErrorCode, p.syncError, p.pushedAt,
                p.paidAmount, p.paidAt, p.refundedAmount, p.paymentError);
    }
}

package io.tollbooth.billing.payment;

import io.tollbooth.billing.invoice.Invoice;
import io.tollbooth.billing.invoice.InvoiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies what Stripe reports about a payment to the invoice: paid, payment failed, refunded. Amounts arrive in
 * Stripe's minor unit and are converted back by {@link StripeAmounts}, the same code that converted them for Stripe,
 * then checked against the invoice's amount due: an invoice is marked paid only when the amount and currency are
 * exactly what is due. Anything else leaves the invoice as it is and tells the operator why.
 */
@ApplicationScoped
class PaymentOutcomes {

    private static final Logger LOG = Logger.getLogger(PaymentOutcomes.class);

    /** Statuses in which an invoice is still owed, so a payment may settle it. */
    private static final Set<InvoiceStatus> OWED = EnumSet.of(InvoiceStatus.FINALIZED, InvoiceStatus.SENT,
            InvoiceStatus.PAYMENT_FAILED);

    private final InvoiceTransitions transitions;
    private final Clock clock;

    PaymentOutcomes(InvoiceTransitions transitions, Clock clock) {
        this.transitions = transitions;
        this.clock = clock;
    }

    /**
     * Stripe reports {@code amount} (in its minor unit of {@code stripeCurrency}) paid for the invoice.
     *
     * @param source what reported it, for the audit and the operator: "payment_intent.succeeded evt_..."
     */
    @Transactional
    PaymentEffect paid(UUID invoiceId, long amount, String stripeCurrency, String source) {
        Invoice invoice = invoice(invoiceId);
        InvoicePayment payment = payment(invoiceId);
        Currency currency = invoice.currency();
        if (!currency.equals(StripeAmounts.currency(stripeCurrency))) {
            return tellOperator(payment, PaymentEffect.AMOUNT_MISMATCH, source + " reported a payment of " + amount
                    + " " + stripeCurrency + " minor units, but invoice " + invoice.number + " is in " + currency);
        }
        BigDecimal paid = StripeAmounts.fromStripe(amount, currency);
        if (invoice.status == InvoiceStatus.PAID) {
            return PaymentEffect.ALREADY_PAID;
        }
        if (!OWED.contains(invoice.status)) {
            return tellOperator(payment, PaymentEffect.UNEXPECTED_PAYMENT, source + " reported " + text(paid, currency)
                    + " paid for invoice " + invoice.number + ", which is " + invoice.status + "; check it in Stripe");
        }
        if (paid.compareTo(invoice.amountDue) != 0) {
            return tellOperator(payment, PaymentEffect.AMOUNT_MISMATCH, source + " reported " + text(paid, currency)
                    + " paid for invoice " + invoice.number + ", but " + text(invoice.amountDue, currency)
                    + " is due; the invoice stays " + invoice.status);
        }
        payment.paidAmount = paid;
        payment.paidAt = clock.instant();
        payment.paymentError = null;
        payment.updatedAt = payment.paidAt;
        transitions.move(invoice, InvoiceStatus.PAID, source + ": " + text(paid, currency) + " received");
        return PaymentEffect.MARKED_PAID;
    }

    /** Stripe reports that a payment of the invoice failed, with Stripe's reason. */
    @Transactional
    PaymentEffect paymentFailed(UUID invoiceId, String reason, String source) {
        Invoice invoice = invoice(invoiceId);
        InvoicePayment payment = payment(invoiceId);
        if (!OWED.contains(invoice.status)) {
            LOG.infof("payment failure ignored invoice=%s status=%s source='%s'", invoice.number, invoice.status,
                    source);
            return PaymentEffect.STALE_FAILURE;
        }
        payment.paymentError = source + ": " + reason;
        payment.updatedAt = clock.instant();
        if (invoice.status != InvoiceStatus.PAYMENT_FAILED) {
            transitions.move(invoice, InvoiceStatus.PAYMENT_FAILED, source + ": " + reason);
        }
        return PaymentEffect.MARKED_PAYMENT_FAILED;
    }

    /**
     * Stripe reports that {@code refunded} (in its minor unit, cumulative) of the invoice's payment was refunded.
     * The invoice becomes REFUNDED once everything paid is refunded.
     */
    @Transactional
    PaymentEffect refunded(UUID invoiceId, long refunded, String stripeCurrency, String source) {
        Invoice invoice = invoice(invoiceId);
        InvoicePayment payment = payment(invoiceId);
        Currency currency = invoice.currency();
        if (!currency.equals(StripeAmounts.currency(stripeCurrency))) {
            return tellOperator(payment, PaymentEffect.AMOUNT_MISMATCH, source + " reported a refund in "
                    + stripeCurrency + " for invoice " + invoice.number + " in " + currency);
        }
        BigDecimal amount = StripeAmounts.fromStripe(refunded, currency);
        payment.refundedAmount = amount;
        payment.updatedAt = clock.instant();
        BigDecimal paid = payment.paidAmount == null ? invoice.amountDue : payment.paidAmount;
        if (invoice.status == InvoiceStatus.REFUNDED) {
            return PaymentEffect.MARKED_REFUNDED;
        }
        if (invoice.status != InvoiceStatus.PAID || amount.compareTo(paid) < 0) {
            LOG.infof("partial refund recorded invoice=%s refunded=%s status=%s", invoice.number,
                    text(amount, currency), invoice.status);
            return PaymentEffect.PARTIALLY_REFUNDED;
        }
        transitions.move(invoice, InvoiceStatus.REFUNDED, source + ": " + text(amount, currency) + " refunded");
        return PaymentEffect.MARKED_REFUNDED;
    }

    /** Records the PaymentIntent that paid the invoice's Stripe invoice, so that its refunds find the invoice. */
    @Transactional
    PaymentEffect paidThrough(UUID invoiceId, String paymentIntentId) {
        InvoicePayment payment = payment(invoiceId);
        if (payment.paymentIntentId == null) {
            payment.paymentIntentId = paymentIntentId;
            payment.updatedAt = clock.instant();
        }
        return PaymentEffect.LINKED_PAYMENT_INTENT;
    }

    private PaymentEffect tellOperator(InvoicePayment payment, PaymentEffect effect, String message) {
        Instant now = clock.instant();
        payment.paymentError = message;
        payment.updatedAt = now;
        LOG.warnf("payment not applied invoice_id=%s effect=%s reason='%s'", payment.invoiceId, effect, message);
        return effect;
    }

    private Invoice invoice(UUID invoiceId) {
        return transitions.lock(invoiceId)
                .orElseThrow(() -> new IllegalStateException("no invoice " + invoiceId));
    }

    private static InvoicePayment payment(UUID invoiceId) {
        return InvoicePayment.<InvoicePayment>findByIdOptional(invoiceId)
                .orElseThrow(() -> new IllegalStateException("no payment record for invoice " + invoiceId));
    }

    private static String text(BigDecimal amount, Currency currency) {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }
}

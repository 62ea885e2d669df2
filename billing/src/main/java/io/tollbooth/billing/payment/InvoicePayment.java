package io.tollbooth.billing.payment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * How one invoice is collected through Stripe (table {@code invoice_payment}): the Stripe objects Stripe confirmed,
 * the last sync error, and what Stripe reported paid or refunded. Amounts are decimals in the invoice's currency.
 */
@Entity
@Table(name = "invoice_payment")
public class InvoicePayment extends PanacheEntityBase {

    @Id
    @Column(name = "invoice_id")
    public UUID invoiceId;

    /** Fixed when the first push starts, so a configuration change never mixes two modes on one invoice. */
    @Enumerated(EnumType.STRING)
    @Column(name = "mode", nullable = false)
    public StripeMode mode;

    @Enumerated(EnumType.STRING)
    @Column(name = "sync_status", nullable = false)
    public PaymentSyncStatus syncStatus;

    /** The Stripe customer pushed to; null until the customer is known. */
    @Column(name = "customer_id")
    public String customerId;

    /** The Stripe invoice ({@code in_...}) in {@link StripeMode#INVOICE} mode, once Stripe created it. */
    @Column(name = "stripe_invoice_id")
    public String stripeInvoiceId;

    /** The PaymentIntent ({@code pi_...}) in {@link StripeMode#PAYMENT_INTENT} mode, once Stripe created it. */
    @Column(name = "payment_intent_id")
    public String paymentIntentId;

    /** Pushes started for this invoice, retries within one push not counted. */
    @Column(name = "attempts", nullable = false)
    public int attempts;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    /** Why the last push did not complete; null once it did. */
    @Enumerated(EnumType.STRING)
    @Column(name = "sync_error_code")
    public PaymentSyncError syncErrorCode;

    /** The last sync error for people: what failed and Stripe's own message and request id. */
    @Column(name = "sync_error")
    public String syncError;

    @Column(name = "pushed_at")
    public Instant pushedAt;

    /** What Stripe reported paid, converted from its minor unit; null until paid. */
    @Column(name = "paid_amount")
    public BigDecimal paidAmount;

    @Column(name = "paid_at")
    public Instant paidAt;

    /** What Stripe reported refunded so far; null if nothing was. */
    @Column(name = "refunded_amount")
    public BigDecimal refundedAmount;

    /** Why the last payment attempt failed or did not settle the invoice, as Stripe or the check said it. */
    @Column(name = "payment_error")
    public String paymentError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}

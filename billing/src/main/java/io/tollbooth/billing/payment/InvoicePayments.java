package io.tollbooth.billing.payment;

import io.quarkus.hibernate.orm.panache.Panache;
import io.tollbooth.billing.invoice.Invoice;
import io.tollbooth.billing.invoice.InvoiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The local record of each invoice's push to Stripe (tables {@code invoice_payment} and {@code stripe_invoice_item}).
 * Every method is its own short transaction: what Stripe confirmed is committed at once, before the next request,
 * so a push that dies at any point leaves exactly what Stripe has, less at most the one object whose answer was
 * lost, which the idempotency key recovers.
 */
@ApplicationScoped
public class InvoicePayments {

    // Invoices of clients linked to a Stripe customer, finalized after the link, not pushed yet or interrupted.
    private static final String PENDING = """
            SELECT i.id FROM invoice i
              JOIN stripe_customer c ON c.client_id = i.client_id
              LEFT JOIN invoice_payment p ON p.invoice_id = i.id
             WHERE i.status = 'FINALIZED' AND i.finalized_at >= c.created_at
               AND (p.invoice_id IS NULL OR p.sync_status = 'PENDING')
             ORDER BY i.finalized_at, i.id
             LIMIT :limit
            """;

    private static final String START = """
            INSERT INTO invoice_payment (invoice_id, mode, sync_status, attempts, created_at, updated_at)
            VALUES (:invoice, :mode, 'PENDING', 0, :now, :now)
            ON CONFLICT (invoice_id) DO NOTHING
            """;

    private static final String ITEM_CREATED = """
            INSERT INTO stripe_invoice_item (invoice_id, item_key, item_id, amount, created_at)
            VALUES (:invoice, :key, :item, :amount, :now)
            ON CONFLICT (invoice_id, item_key) DO NOTHING
            """;

    private final StripeConfig config;
    private final InvoiceTransitions transitions;
    private final Clock clock;

    InvoicePayments(StripeConfig config, InvoiceTransitions transitions, Clock clock) {
        this.config = config;
        this.transitions = transitions;
        this.clock = clock;
    }

    /** The invoice's collection through Stripe, if a push has started. */
    @Transactional
    public Optional<InvoicePaymentView> find(UUID invoiceId) {
        return InvoicePayment.<InvoicePayment>findByIdOptional(invoiceId).map(InvoicePaymentView::of);
    }

    /**
     * Invoices the sync job should push, oldest first: finalized, of a client linked to a Stripe customer before
     * the invoice was finalized, and never pushed or interrupted by a failure that may pass.
     */
    @Transactional
    public List<UUID> pending(int limit) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = Panache.getEntityManager().createNativeQuery(PENDING, UUID.class)
                .setParameter("limit", limit).getResultList();
        return ids;
    }

    /**
     * Starts a push of an invoice: decides whether there is anything to push and, if there is, counts the attempt
     * and returns the invoice and what Stripe already confirmed for it.
     *
     * @param onRequest an operator asked for this push: an invoice whose last push failed for good is tried again
     */
    @Transactional
    PushStart begin(UUID invoiceId, boolean onRequest) {
        Invoice invoice = Invoice.findById(invoiceId);
        if (invoice == null) {
            throw new IllegalArgumentException("no invoice " + invoiceId);
        }
        Instant now = clock.instant();
        InvoicePayment payment = InvoicePayment.findById(invoiceId, LockModeType.PESSIMISTIC_WRITE);
        if (payment == null && invoice.status != InvoiceStatus.FINALIZED) {
            return PushStart.done(PushOutcome.of(invoiceId, PushOutcome.Result.NOT_PUSHABLE,
                    "invoice " + describe(invoice) + " is " + invoice.status + "; only a finalized invoice is pushed"));
        }
        if (payment == null) {
            payment = create(invoiceId, now);
        }
        PushOutcome done = nothingToDo(invoice, payment, onRequest);
        if (done != null) {
            return PushStart.done(done);
        }
        if (invoice.amountDue.signum() == 0) {
            payment.syncStatus = PaymentSyncStatus.NOTHING_TO_COLLECT;
            payment.updatedAt = now;
            return PushStart.done(PushOutcome.of(invoiceId, PushOutcome.Result.NOTHING_TO_COLLECT,
                    "invoice " + describe(invoice) + " has nothing due"));
        }
        payment.syncStatus = PaymentSyncStatus.PENDING;
        payment.attempts++;
        payment.lastAttemptAt = now;
        payment.updatedAt = now;
        return new PushStart(CollectableInvoice.of(invoice), payment.mode, payment.stripeInvoiceId,
                pushedCharges(invoiceId), null);
    }

    /** Records the Stripe customer the invoice is pushed to. */
    @Transactional
    void customerKnown(UUID invoiceId, String customerId) {
        InvoicePayment payment = load(invoiceId);
        payment.customerId = customerId;
        payment.updatedAt = clock.instant();
    }

    /** Records the Stripe invoice that Stripe confirmed for the invoice. */
    @Transactional
    void stripeInvoiceCreated(UUID invoiceId, String stripeInvoiceId) {
        InvoicePayment payment = load(invoiceId);
        payment.stripeInvoiceId = stripeInvoiceId;
        payment.updatedAt = clock.instant();
    }

    /** Records an invoice item that Stripe confirmed; a restarted push does not send it again. */
    @Transactional
    void itemCreated(UUID invoiceId, String chargeKey, String itemId, BigDecimal amount) {
        Panache.getEntityManager().createNativeQuery(ITEM_CREATED)
                .setParameter("invoice", invoiceId)
                .setParameter("key", chargeKey)
                .setParameter("item", itemId)
                .setParameter("amount", amount)
                .setParameter("now", clock.instant())
                .executeUpdate();
    }

    /**
     * Completes a push: Stripe confirmed the Stripe invoice or the PaymentIntent. The invoice becomes SENT if it
     * is still FINALIZED (a webhook may have marked it paid already).
     *
     * @param paymentIntentId the PaymentIntent Stripe confirmed; null in {@link StripeMode#INVOICE} mode
     * @param pushedAs what was pushed, for the audit: "Stripe invoice in_..."
     */
    @Transactional
    void pushed(UUID invoiceId, String paymentIntentId, String pushedAs) {
        Instant now = clock.instant();
        InvoicePayment payment = load(invoiceId);
        if (paymentIntentId != null) {
            payment.paymentIntentId = paymentIntentId;
        }
        payment.syncStatus = PaymentSyncStatus.PUSHED;
        payment.syncErrorCode = null;
        payment.syncError = null;
        payment.pushedAt = now;
        payment.updatedAt = now;
        transitions.lock(invoiceId).filter(invoice -> invoice.status == InvoiceStatus.FINALIZED)
                .ifPresent(invoice -> transitions.move(invoice, InvoiceStatus.SENT, "pushed to Stripe as "
                        + pushedAs));
    }

    /** Records why a push stopped: it stays pending if the failure may pass, otherwise it waits for the operator. */
    @Transactional
    void failed(UUID invoiceId, PaymentSyncException failure) {
        InvoicePayment payment = load(invoiceId);
        payment.syncStatus = failure.retryable() ? PaymentSyncStatus.PENDING : PaymentSyncStatus.FAILED;
        payment.syncErrorCode = failure.error();
        payment.syncError = failure.getMessage();
        payment.updatedAt = clock.instant();
    }

    /** The payment record of the invoice pushed as this PaymentIntent, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<InvoicePayment> byPaymentIntent(String paymentIntentId) {
        return InvoicePayment.find("paymentIntentId", paymentIntentId).firstResultOptional();
    }

    /** The payment record of the invoice pushed as this Stripe invoice, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<InvoicePayment> byStripeInvoice(String stripeInvoiceId) {
        return InvoicePayment.find("stripeInvoiceId", stripeInvoiceId).firstResultOptional();
    }

    /** The payment record of an invoice, if a push has started. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<InvoicePayment> byInvoice(UUID invoiceId) {
        return InvoicePayment.findByIdOptional(invoiceId);
    }

    private InvoicePayment create(UUID invoiceId, Instant now) {
        // Insert-if-absent, then lock: two pushes starting at once end up with one row and wait for each other.
        Panache.getEntityManager().createNativeQuery(START)
                .setParameter("invoice", invoiceId)
                .setParameter("mode", config.mode().name())
                .setParameter("now", now)
                .executeUpdate();
        return InvoicePayment.findById(invoiceId, LockModeType.PESSIMISTIC_WRITE);
    }

    private static PushOutcome nothingToDo(Invoice invoice, InvoicePayment payment, boolean onRequest) {
        String name = describe(invoice);
        return switch (payment.syncStatus) {
            case PUSHED -> PushOutcome.of(invoice.id, PushOutcome.Result.ALREADY_DONE, "invoice " + name
                    + " was pushed to Stripe at " + payment.pushedAt);
            case NOTHING_TO_COLLECT -> PushOutcome.of(invoice.id, PushOutcome.Result.ALREADY_DONE, "invoice " + name
                    + " has nothing due");
            case FAILED -> onRequest && invoice.status == InvoiceStatus.FINALIZED ? null
                    : new PushOutcome(invoice.id, PushOutcome.Result.FAILED, payment.syncErrorCode, payment.syncError);
            case PENDING -> invoice.status == InvoiceStatus.FINALIZED ? null
                    : PushOutcome.of(invoice.id, PushOutcome.Result.NOT_PUSHABLE, "invoice " + name + " is "
                            + invoice.status + "; only a finalized invoice is pushed");
        };
    }

    private Set<String> pushedCharges(UUID invoiceId) {
        @SuppressWarnings("unchecked")
        List<String> keys = Panache.getEntityManager()
                .createNativeQuery("SELECT item_key FROM stripe_invoice_item WHERE invoice_id = :invoice", String.class)
                .setParameter("invoice", invoiceId).getResultList();
        return new HashSet<>(keys);
    }

    private static InvoicePayment load(UUID invoiceId) {
        return InvoicePayment.<InvoicePayment>findByIdOptional(invoiceId).orElseThrow(
                () -> new IllegalStateException("no payment record for invoice " + invoiceId));
    }

    private static String describe(Invoice invoice) {
        return invoice.number == null ? invoice.id.toString() : invoice.number;
    }
}

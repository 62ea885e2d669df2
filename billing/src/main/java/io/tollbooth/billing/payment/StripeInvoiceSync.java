package io.tollbooth.billing.payment;

import com.stripe.exception.CardException;
import com.stripe.model.Customer;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceItem;
import com.stripe.model.PaymentIntent;
import com.stripe.param.InvoiceCreateParams;
import com.stripe.param.InvoiceFinalizeInvoiceParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentCreateParams.AutomaticPaymentMethods;
import io.tollbooth.billing.payment.CollectableInvoice.Charge;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Pushes finalized invoices to Stripe, exactly once.
 *
 * <p>A push walks through fixed steps, each a Stripe request with a stable idempotency key followed by a local
 * record of what Stripe confirmed. In {@link StripeMode#INVOICE} mode: a draft Stripe invoice for the customer, one
 * invoice item per charge on it, a check that Stripe's total is the amount due, and finalization, after which Stripe
 * collects. In {@link StripeMode#PAYMENT_INTENT} mode: one PaymentIntent for the amount due, confirmed off-session
 * against the customer's default payment method. A push interrupted anywhere (timeout, crash, Stripe down) resumes
 * from the local records; the one request whose answer may have been lost is sent again with the same key, and
 * Stripe answers with what it created the first time. The invoice becomes SENT only after Stripe confirmed.
 */
@ApplicationScoped
public class StripeInvoiceSync {

    /** Invoices pushed per run of {@link #pushPending()} at most; the next run takes the rest. */
    public static final int BATCH = 100;

    private static final Logger LOG = Logger.getLogger(StripeInvoiceSync.class);

    private static final String METADATA_INVOICE_ID = "tollbooth_invoice_id";
    private static final String METADATA_INVOICE_NUMBER = "tollbooth_invoice_number";

    private final StripeApi stripe;
    private final StripeCustomers customers;
    private final InvoicePayments payments;
    private final PaymentOutcomes outcomes;

    StripeInvoiceSync(StripeApi stripe, StripeCustomers customers, InvoicePayments payments,
            PaymentOutcomes outcomes) {
        this.stripe = stripe;
        this.customers = customers;
        this.payments = payments;
        this.outcomes = outcomes;
    }

    /**
     * Pushes one invoice now, on an operator's request: creates the client's Stripe customer if the client has
     * none, and tries again an invoice whose last push failed for good.
     *
     * @throws IllegalStateException if Stripe is not enabled
     * @throws IllegalArgumentException if there is no such invoice
     */
    public PushOutcome push(UUID invoiceId) {
        return push(invoiceId, true);
    }

    /**
     * Pushes the invoices that are due for it ({@link InvoicePayments#pending(int)}), oldest first, up to
     * {@link #BATCH}. A failure of one invoice is recorded on it and the run goes on.
     *
     * @throws IllegalStateException if Stripe is not enabled
     */
    public List<PushOutcome> pushPending() {
        requireEnabled();
        List<PushOutcome> outcomes = payments.pending(BATCH).stream().map(id -> push(id, false)).toList();
        if (!outcomes.isEmpty()) {
            LOG.infof("stripe sync run invoices=%d pushed=%d retry_later=%d failed=%d", outcomes.size(),
                    count(outcomes, PushOutcome.Result.PUSHED), count(outcomes, PushOutcome.Result.RETRY_LATER),
                    count(outcomes, PushOutcome.Result.FAILED));
        }
        return outcomes;
    }

    private PushOutcome push(UUID invoiceId, boolean onRequest) {
        requireEnabled();
        PushStart start = payments.begin(invoiceId, onRequest);
        if (!start.proceed()) {
            LOG.debugf("stripe push skipped invoice_id=%s result=%s", invoiceId, start.done().result());
            return start.done();
        }
        CollectableInvoice invoice = start.invoice();
        LOG.debugf("stripe push started invoice=%s mode=%s due=%s %s", invoice.number(), start.mode(),
                invoice.amountDue().toPlainString(), invoice.currency());
        try {
            // Every amount is checked before anything is sent, so an amount Stripe cannot take creates nothing.
            Map<String, Long> amounts = stripeAmounts(invoice);
            long due = StripeAmounts.toStripe(invoice.amountDue(), invoice.currency());
            String customerId = customers.ensure(invoice.clientId());
            payments.customerKnown(invoice.id(), customerId);
            PushOutcome outcome = switch (start.mode()) {
                case INVOICE -> pushAsInvoice(start, customerId, amounts, due);
                case PAYMENT_INTENT -> pushAsPaymentIntent(invoice, customerId, due);
            };
            LOG.infof("stripe push done invoice=%s mode=%s result=%s detail='%s'", invoice.number(), start.mode(),
                    outcome.result(), outcome.message());
            return outcome;
        } catch (PaymentSyncException failure) {
            payments.failed(invoice.id(), failure);
            LOG.warnf("stripe push stopped invoice=%s mode=%s error=%s retryable=%s reason='%s'", invoice.number(),
                    start.mode(), failure.error(), failure.retryable(), failure.getMessage());
            return PushOutcome.failed(invoice.id(), failure);
        }
    }

    private PushOutcome pushAsInvoice(PushStart start, String customerId, Map<String, Long> amounts, long due) {
        CollectableInvoice invoice = start.invoice();
        String stripeInvoiceId = start.stripeInvoiceId() != null ? start.stripeInvoiceId()
                : createStripeInvoice(invoice, customerId);
        for (Charge charge : invoice.charges()) {
            if (!start.pushedCharges().contains(charge.key())) {
                createItem(invoice, charge, amounts.get(charge.key()), customerId, stripeInvoiceId);
            }
        }

        Invoice draft = stripe.send("retrieve invoice", null,
                (s, options) -> s.v1().invoices().retrieve(stripeInvoiceId, options));
        if (draft.getTotal() == null || draft.getTotal() != due) {
            throw new PaymentSyncException(PaymentSyncError.AMOUNT_MISMATCH, "Stripe invoice " + stripeInvoiceId
                    + " totals " + draft.getTotal() + " minor units of " + StripeAmounts.code(invoice.currency())
                    + " but invoice " + invoice.number() + " is due " + due + "; it was left unfinalized");
        }
        if ("draft".equals(draft.getStatus())) {
            InvoiceFinalizeInvoiceParams params = InvoiceFinalizeInvoiceParams.builder().setAutoAdvance(true).build();
            stripe.send("finalize invoice", IdempotencyKeys.finalizeStripeInvoice(invoice.id()),
                    (s, options) -> s.v1().invoices().finalizeInvoice(stripeInvoiceId, params, options));
        }
        payments.pushed(invoice.id(), null, "Stripe invoice " + stripeInvoiceId);
        return PushOutcome.of(invoice.id(), PushOutcome.Result.PUSHED, "Stripe invoice " + stripeInvoiceId
                + " finalized with " + invoice.charges().size() + " items");
    }

    private String createStripeInvoice(CollectableInvoice invoice, String customerId) {
        InvoiceCreateParams params = InvoiceCreateParams.builder()
                .setCustomer(customerId)
                .setCurrency(StripeAmounts.code(invoice.currency()))
                .setCollectionMethod(InvoiceCreateParams.CollectionMethod.CHARGE_AUTOMATICALLY)
                // Finalized by the push once every item is on it; Stripe collects after that.
                .setAutoAdvance(false)
                // Only the items created for this invoice, never other pending items of the customer.
                .setPendingInvoiceItemsBehavior(InvoiceCreateParams.PendingInvoiceItemsBehavior.EXCLUDE)
                .setDescription("Invoice " + invoice.number())
                .putMetadata(METADATA_INVOICE_ID, invoice.id().toString())
                .putMetadata(METADATA_INVOICE_NUMBER, invoice.number())
                .build();
        Invoice created = stripe.send("create invoice", IdempotencyKeys.stripeInvoice(invoice.id()),
                (s, options) -> s.v1().invoices().create(params, options));
        payments.stripeInvoiceCreated(invoice.id(), created.getId());
        return created.getId();
    }

    private void createItem(CollectableInvoice invoice, Charge charge, long amount, String customerId,
            String stripeInvoiceId) {
        InvoiceItemCreateParams params = InvoiceItemCreateParams.builder()
                .setCustomer(customerId)
                .setInvoice(stripeInvoiceId)
                .setAmount(amount)
                .setCurrency(StripeAmounts.code(invoice.currency()))
                .setDescription(charge.description())
                .putMetadata(METADATA_INVOICE_ID, invoice.id().toString())
                .putMetadata("tollbooth_charge", charge.key())
                .build();
        InvoiceItem item = stripe.send("create invoice item " + charge.key(),
                IdempotencyKeys.invoiceItem(invoice.id(), charge.key()),
                (s, options) -> s.v1().invoiceItems().create(params, options));
        payments.itemCreated(invoice.id(), charge.key(), item.getId(), charge.amount());
    }

    private PushOutcome pushAsPaymentIntent(CollectableInvoice invoice, String customerId, long due) {
        String paymentMethod = defaultPaymentMethod(customerId);
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(due)
                .setCurrency(StripeAmounts.code(invoice.currency()))
                .setCustomer(customerId)
                .setPaymentMethod(paymentMethod)
                .setConfirm(true)
                .setOffSession(true)
                // Nobody is there to follow a redirect: a method that needs one fails instead of waiting.
                .setAutomaticPaymentMethods(AutomaticPaymentMethods.builder().setEnabled(true)
                        .setAllowRedirects(AutomaticPaymentMethods.AllowRedirects.NEVER).build())
                .setDescription("Invoice " + invoice.number())
                .putMetadata(METADATA_INVOICE_ID, invoice.id().toString())
                .putMetadata(METADATA_INVOICE_NUMBER, invoice.number())
                .build();
        PaymentIntent intent;
        try {
            intent = stripe.send("create payment intent", IdempotencyKeys.paymentIntent(invoice.id()),
                    (s, options) -> s.v1().paymentIntents().create(params, options));
        } catch (PaymentSyncException failure) {
            if (failure.getCause() instanceof CardException declined) {
                return declined(invoice, declined);
            }
            throw failure;
        }
        payments.pushed(invoice.id(), intent.getId(), "PaymentIntent " + intent.getId());
        if ("succeeded".equals(intent.getStatus())) {
            // Stripe's answer confirms the payment; the webhook that follows then finds the invoice paid.
            outcomes.paid(invoice.id(), intent.getAmountReceived(), intent.getCurrency(),
                    "PaymentIntent " + intent.getId());
        }
        return PushOutcome.of(invoice.id(), PushOutcome.Result.PUSHED, "PaymentIntent " + intent.getId() + " "
                + intent.getStatus());
    }

    private String defaultPaymentMethod(String customerId) {
        Customer customer = stripe.send("retrieve customer", null,
                (s, options) -> s.v1().customers().retrieve(customerId, options));
        String paymentMethod = customer.getInvoiceSettings() == null ? null
                : customer.getInvoiceSettings().getDefaultPaymentMethod();
        if (paymentMethod == null) {
            throw new PaymentSyncException(PaymentSyncError.NO_PAYMENT_METHOD, "Stripe customer " + customerId
                    + " has no default payment method (invoice_settings.default_payment_method) to charge");
        }
        return paymentMethod;
    }

    /** A declined off-session payment: Stripe created the PaymentIntent, so the push is done; the payment failed. */
    private PushOutcome declined(CollectableInvoice invoice, CardException declined) {
        PaymentIntent intent = declined.getStripeError().getPaymentIntent();
        String intentId = intent == null ? null : intent.getId();
        payments.pushed(invoice.id(), intentId, "PaymentIntent " + intentId);
        String reason = declined.getStripeError().getMessage() + " (" + declined.getCode()
                + (declined.getDeclineCode() == null ? "" : "/" + declined.getDeclineCode()) + ")";
        outcomes.paymentFailed(invoice.id(), reason, "PaymentIntent " + intentId);
        return PushOutcome.of(invoice.id(), PushOutcome.Result.PUSHED, "PaymentIntent " + intentId + " declined: "
                + reason);
    }

    private static Map<String, Long> stripeAmounts(CollectableInvoice invoice) {
        if (invoice.chargesTotal().compareTo(invoice.amountDue()) != 0) {
            throw new PaymentSyncException(PaymentSyncError.AMOUNT_MISMATCH, "the charges of invoice "
                    + invoice.number() + " add up to " + invoice.chargesTotal().toPlainString() + " but "
                    + invoice.amountDue().toPlainString() + " is due");
        }
        Map<String, Long> amounts = new LinkedHashMap<>();
        for (Charge charge : invoice.charges()) {
            amounts.put(charge.key(), StripeAmounts.toStripe(charge.amount(), invoice.currency()));
        }
        return amounts;
    }

    private void requireEnabled() {
        if (!stripe.enabled()) {
            throw new IllegalStateException("Stripe is not enabled (tollbooth.billing.stripe.enabled=false)");
        }
    }

    private static long count(List<PushOutcome> outcomes, PushOutcome.Result result) {
        return outcomes.stream().filter(o -> o.result() == result).count();
    }
}

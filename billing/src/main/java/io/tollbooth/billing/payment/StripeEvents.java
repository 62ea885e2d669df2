package io.tollbooth.billing.payment;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeObject;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies verified Stripe events to invoices, each event id once: the id is inserted into {@code stripe_event} in
 * the same transaction as the event's effect, so a redelivery (Stripe delivers at least once, sometimes
 * concurrently) finds it and changes nothing, and an effect that rolls back leaves no mark.
 *
 * <p>Events are matched to invoices by the Stripe ids a push recorded, and else by the {@code tollbooth_invoice_id}
 * metadata the push set, for an object Stripe created but whose answer never arrived.
 */
@ApplicationScoped
class StripeEvents {

    private static final Logger LOG = Logger.getLogger(StripeEvents.class);

    private static final String CLAIM = """
            INSERT INTO stripe_event (event_id, type, outcome, processed_at) VALUES (:id, :type, 'PROCESSING', :now)
            ON CONFLICT (event_id) DO NOTHING
            """;

    private static final String RECORD = """
            UPDATE stripe_event SET outcome = :outcome, invoice_id = :invoice WHERE event_id = :id
            """;

    private final InvoicePayments payments;
    private final PaymentOutcomes outcomes;
    private final Clock clock;

    StripeEvents(InvoicePayments payments, PaymentOutcomes outcomes, Clock clock) {
        this.payments = payments;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /** Applies an event unless its id was processed before. */
    @Transactional
    WebhookReceipt process(Event event) {
        if (!claim(event)) {
            return new WebhookReceipt(event.getId(), event.getType(), true, null, null);
        }
        Applied applied = apply(event);
        Panache.getEntityManager().createNativeQuery(RECORD)
                .setParameter("outcome", applied.effect().name())
                .setParameter("invoice", applied.invoiceId())
                .setParameter("id", event.getId())
                .executeUpdate();
        return new WebhookReceipt(event.getId(), event.getType(), false, applied.invoiceId(), applied.effect());
    }

    private boolean claim(Event event) {
        // A concurrent delivery of the same id waits here until the first commits, then inserts nothing.
        return Panache.getEntityManager().createNativeQuery(CLAIM)
                .setParameter("id", event.getId())
                .setParameter("type", event.getType())
                .setParameter("now", clock.instant())
                .executeUpdate() == 1;
    }

    private Applied apply(Event event) {
        String source = event.getType() + " " + event.getId();
        return switch (event.getType()) {
            case "payment_intent.succeeded" -> object(event, PaymentIntent.class).map(intent ->
                    onInvoiceOf(intent, invoiceId -> outcomes.paid(invoiceId, intent.getAmountReceived(),
                            intent.getCurrency(), source))).orElse(Applied.UNREADABLE);
            case "payment_intent.payment_failed" -> object(event, PaymentIntent.class).map(intent ->
                    onInvoiceOf(intent, invoiceId -> outcomes.paymentFailed(invoiceId, failureOf(intent), source)))
                    .orElse(Applied.UNREADABLE);
            case "invoice.paid" -> object(event, Invoice.class).map(invoice ->
                    onInvoiceOf(invoice, invoiceId -> outcomes.paid(invoiceId, invoice.getAmountPaid(),
                            invoice.getCurrency(), source))).orElse(Applied.UNREADABLE);
            case "invoice.payment_failed" -> object(event, Invoice.class).map(invoice ->
                    onInvoiceOf(invoice, invoiceId -> outcomes.paymentFailed(invoiceId, "Stripe could not collect"
                            + " Stripe invoice " + invoice.getId() + " (attempt " + invoice.getAttemptCount()
                            + "); Stripe retries it by its own schedule", source))).orElse(Applied.UNREADABLE);
            case "invoice_payment.paid" -> object(event, com.stripe.model.InvoicePayment.class).map(this::linked)
                    .orElse(Applied.UNREADABLE);
            case "charge.refunded" -> object(event, Charge.class).map(charge ->
                    onInvoice(charge.getPaymentIntent() == null ? Optional.empty()
                            : payments.byPaymentIntent(charge.getPaymentIntent()).map(p -> p.invoiceId),
                            invoiceId -> outcomes.refunded(invoiceId, charge.getAmountRefunded(),
                                    charge.getCurrency(), source))).orElse(Applied.UNREADABLE);
            default -> Applied.IGNORED;
        };
    }

    private Applied onInvoiceOf(PaymentIntent intent, Effect effect) {
        return onInvoice(payments.byPaymentIntent(intent.getId()).map(p -> p.invoiceId)
                .or(() -> byMetadata(intent.getMetadata())), effect);
    }

    private Applied onInvoiceOf(Invoice invoice, Effect effect) {
        return onInvoice(payments.byStripeInvoice(invoice.getId()).map(p -> p.invoiceId)
                .or(() -> byMetadata(invoice.getMetadata())), effect);
    }

    private Applied linked(com.stripe.model.InvoicePayment paid) {
        String intentId = paid.getPayment() == null ? null : paid.getPayment().getPaymentIntent();
        if (paid.getInvoice() == null || intentId == null) {
            return Applied.IGNORED;
        }
        return onInvoice(payments.byStripeInvoice(paid.getInvoice()).map(p -> p.invoiceId),
                invoiceId -> outcomes.paidThrough(invoiceId, intentId));
    }

    private static Applied onInvoice(Optional<UUID> invoiceId, Effect effect) {
        return invoiceId.map(id -> new Applied(id, effect.apply(id))).orElse(Applied.UNKNOWN);
    }

    /** The invoice named by the metadata a push set, if a push of it has started here. */
    private Optional<UUID> byMetadata(Map<String, String> metadata) {
        String value = metadata == null ? null : metadata.get("tollbooth_invoice_id");
        if (value == null) {
            return Optional.empty();
        }
        try {
            return payments.byInvoice(UUID.fromString(value)).map(p -> p.invoiceId);
        } catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }

    private static <T extends StripeObject> Optional<T> object(Event event, Class<T> type) {
        try {
            StripeObject object = event.getDataObjectDeserializer().deserializeUnsafe();
            if (type.isInstance(object)) {
                return Optional.of(type.cast(object));
            }
            LOG.warnf("stripe_webhook event=%s type=%s object_class=%s outcome=unreadable", event.getId(),
                    event.getType(), object == null ? null : object.getClass().getSimpleName());
        } catch (EventDataObjectDeserializationException e) {
            LOG.warnf("stripe_webhook event=%s type=%s outcome=unreadable error='%s'", event.getId(),
                    event.getType(), e.getMessage());
        }
        return Optional.empty();
    }

    private static String failureOf(PaymentIntent intent) {
        if (intent.getLastPaymentError() == null) {
            return "the payment failed without a reason from Stripe";
        }
        String code = intent.getLastPaymentError().getDeclineCode() != null
                ? intent.getLastPaymentError().getDeclineCode() : intent.getLastPaymentError().getCode();
        return intent.getLastPaymentError().getMessage() + (code == null ? "" : " (" + code + ")");
    }

    /** What an event does to one invoice. */
    @FunctionalInterface
    private interface Effect {
        PaymentEffect apply(UUID invoiceId);
    }

    /** The invoice an event was about, if any, and what it did. */
    private record Applied(UUID invoiceId, PaymentEffect effect) {

        static final Applied IGNORED = new Applied(null, PaymentEffect.IGNORED_EVENT_TYPE);
        static final Applied UNKNOWN = new Applied(null, PaymentEffect.UNKNOWN_INVOICE);
        static final Applied UNREADABLE = new Applied(null, PaymentEffect.UNREADABLE_OBJECT);
    }
}

package io.tollbooth.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.gson.JsonObject;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.payment.PaymentFixtures.Client;
import io.tollbooth.billing.payment.PaymentFixtures.FinalizedInvoice;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stripe's webhook deliveries through {@link StripeWebhooks}: verified on the raw body, each event id applied once
 * however often and however concurrently Stripe delivers it, and the invoice moved by what the event reports
 * (case 22).
 */
@QuarkusTest
@TestProfile(StripePaymentIntentProfile.class)
class StripeWebhookEventsTest {

    private static final Instant LINKED_AT = Instant.parse("2026-06-01T08:00:00Z");
    private static final Instant FINALIZED_AT = Instant.parse("2026-06-01T09:00:00Z");
    private static final Instant NOW = Instant.parse("2026-06-01T09:05:00Z");

    @InjectStripeStandIn
    StripeStandIn stripe;

    @Inject
    StripeInvoiceSync sync;

    @Inject
    StripeCustomers customers;

    @Inject
    InvoicePayments payments;

    @Inject
    StripeWebhooks webhooks;

    @Inject
    PaymentFixtures fixtures;

    @Inject
    RecordingRetryPause pauses;

    @Inject
    TestClock clock;

    @BeforeEach
    void startFromNothing() {
        fixtures.clear();
        stripe.reset();
        pauses.clear();
        clock.set(NOW);
    }

    @Test
    void processesTheSharedVectorOnceAndAcknowledgesItsRedelivery() {
        SignatureVector vector = sharedVector();
        clock.set(Instant.ofEpochSecond(vector.timestamp() + 10));
        byte[] body = vector.rawBody().getBytes(StandardCharsets.UTF_8);

        WebhookReceipt first = webhooks.receive(body, vector.header());
        WebhookReceipt again = webhooks.receive(body, vector.header());

        assertThat(first).isEqualTo(new WebhookReceipt("evt_1Pgc76B7WZ01zgkWwyRHS12y", "plan.created", false, null,
                PaymentEffect.IGNORED_EVENT_TYPE));
        assertThat(again).isEqualTo(new WebhookReceipt("evt_1Pgc76B7WZ01zgkWwyRHS12y", "plan.created", true, null,
                null));
        assertThat(fixtures.processedEvents("evt_1Pgc76B7WZ01zgkWwyRHS12y")).isEqualTo(1);
        assertThat(fixtures.eventOutcome("evt_1Pgc76B7WZ01zgkWwyRHS12y")).isEqualTo("IGNORED_EVENT_TYPE");
    }

    @Test
    void recordsNothingForTheSharedVectorWhenStaleOrReSerialized() {
        SignatureVector vector = sharedVector();

        clock.set(Instant.ofEpochSecond(vector.staleAt()));
        assertThatThrownBy(() -> webhooks.receive(vector.rawBody().getBytes(StandardCharsets.UTF_8),
                vector.header())).isInstanceOf(WebhookRejectedException.class);
        clock.set(Instant.ofEpochSecond(vector.timestamp() + 10));
        assertThatThrownBy(() -> webhooks.receive(vector.prettyBody().getBytes(StandardCharsets.UTF_8),
                vector.header())).isInstanceOf(WebhookRejectedException.class);

        assertThat(fixtures.processedEvents("evt_1Pgc76B7WZ01zgkWwyRHS12y")).isZero();
    }

    @Test
    void marksTheInvoicePaidOnceWhenStripeDeliversTheSameEventTwice() {
        FinalizedInvoice invoice = sentInvoice("USD", "123.45");
        byte[] body = WebhookDeliveries.event("evt_paid_once", "payment_intent.succeeded", succeeded(12345));

        WebhookReceipt first = deliver(body);
        WebhookReceipt again = deliver(body);

        assertThat(first.duplicate()).isFalse();
        assertThat(first.effect()).isEqualTo(PaymentEffect.MARKED_PAID);
        assertThat(first.invoiceId()).isEqualTo(invoice.id());
        assertThat(again.duplicate()).isTrue();
        assertThat(again.effect()).isNull();
        assertThat(fixtures.eventOutcome("evt_paid_once")).isEqualTo("MARKED_PAID");
        assertThat(payments.find(invoice.id()).orElseThrow().paidAmount()).isEqualTo(new BigDecimal("123.45"));
        assertThat(fixtures.transitions(invoice.id()))
                .containsExactly("FINALIZED>SENT by stripe", "SENT>PAID by stripe");
    }

    @Test
    void appliesTwoConcurrentDeliveriesOfOneEventOnce() throws Exception {
        FinalizedInvoice invoice = sentInvoice("JPY", "1500");
        byte[] body = WebhookDeliveries.event("evt_paid_twice_at_once", "payment_intent.succeeded", succeeded(1500));
        CountDownLatch start = new CountDownLatch(1);
        Callable<WebhookReceipt> delivery = () -> {
            start.await();
            return deliver(body);
        };

        List<WebhookReceipt> receipts;
        ExecutorService deliveries = Executors.newFixedThreadPool(2);
        try {
            List<Future<WebhookReceipt>> futures = List.of(deliveries.submit(delivery), deliveries.submit(delivery));
            start.countDown();
            receipts = List.of(futures.get(0).get(), futures.get(1).get());
        } finally {
            deliveries.shutdownNow();
        }

        assertThat(receipts).extracting(WebhookReceipt::duplicate).containsExactlyInAnyOrder(false, true);
        assertThat(receipts).extracting(WebhookReceipt::effect)
                .containsExactlyInAnyOrder(PaymentEffect.MARKED_PAID, null);
        assertThat(fixtures.processedEvents("evt_paid_twice_at_once")).isEqualTo(1);
        assertThat(fixtures.transitions(invoice.id()))
                .containsExactly("FINALIZED>SENT by stripe", "SENT>PAID by stripe");
    }

    @Test
    void recordsAFailedPaymentThenThePaymentThatFollowsAndIgnoresALateFailure() {
        FinalizedInvoice invoice = sentInvoice("USD", "15.00");

        WebhookReceipt failed = deliver(WebhookDeliveries.event("evt_failed", "payment_intent.payment_failed",
                failed()));
        assertThat(failed.effect()).isEqualTo(PaymentEffect.MARKED_PAYMENT_FAILED);
        assertThat(fixtures.status(invoice.id())).isEqualTo("PAYMENT_FAILED");
        assertThat(payments.find(invoice.id()).orElseThrow().paymentError()).isEqualTo("payment_intent.payment_failed"
                + " evt_failed: Your card has insufficient funds. (insufficient_funds)");

        WebhookReceipt paid = deliver(WebhookDeliveries.event("evt_retried", "payment_intent.succeeded",
                succeeded(1500)));
        // Stripe does not promise order: a failure event that arrives after the payment changes nothing.
        WebhookReceipt late = deliver(WebhookDeliveries.event("evt_failed_late", "payment_intent.payment_failed",
                failed()));

        assertThat(paid.effect()).isEqualTo(PaymentEffect.MARKED_PAID);
        assertThat(late.effect()).isEqualTo(PaymentEffect.STALE_FAILURE);
        assertThat(fixtures.status(invoice.id())).isEqualTo("PAID");
        assertThat(payments.find(invoice.id()).orElseThrow().paymentError()).isNull();
        assertThat(fixtures.transitions(invoice.id())).containsExactly("FINALIZED>SENT by stripe",
                "SENT>PAYMENT_FAILED by stripe", "PAYMENT_FAILED>PAID by stripe");
    }

    @Test
    void marksTheInvoiceRefundedOnlyOnceEverythingPaidIsRefunded() {
        FinalizedInvoice invoice = sentInvoice("USD", "15.00");
        deliver(WebhookDeliveries.event("evt_paid", "payment_intent.succeeded", succeeded(1500)));

        WebhookReceipt part = deliver(WebhookDeliveries.event("evt_refund_part", "charge.refunded", refunded(500)));
        assertThat(part.effect()).isEqualTo(PaymentEffect.PARTIALLY_REFUNDED);
        assertThat(fixtures.status(invoice.id())).isEqualTo("PAID");
        assertThat(payments.find(invoice.id()).orElseThrow().refundedAmount()).isEqualTo(new BigDecimal("5.00"));

        WebhookReceipt rest = deliver(WebhookDeliveries.event("evt_refund_rest", "charge.refunded", refunded(1500)));
        assertThat(rest.effect()).isEqualTo(PaymentEffect.MARKED_REFUNDED);
        assertThat(fixtures.status(invoice.id())).isEqualTo("REFUNDED");
        assertThat(payments.find(invoice.id()).orElseThrow().refundedAmount()).isEqualTo(new BigDecimal("15.00"));
        assertThat(fixtures.transitions(invoice.id())).containsExactly("FINALIZED>SENT by stripe",
                "SENT>PAID by stripe", "PAID>REFUNDED by stripe");
    }

    @Test
    void acknowledgesAPaymentForAnInvoiceNeverPushedFromHereWithoutTouchingAnything() {
        FinalizedInvoice invoice = sentInvoice("USD", "15.00");
        JsonObject foreign = succeeded(1500);
        foreign.addProperty("id", "pi_not_ours");
        foreign.add("metadata", new JsonObject());

        WebhookReceipt receipt = deliver(WebhookDeliveries.event("evt_foreign", "payment_intent.succeeded", foreign));

        assertThat(receipt.effect()).isEqualTo(PaymentEffect.UNKNOWN_INVOICE);
        assertThat(receipt.invoiceId()).isNull();
        assertThat(fixtures.eventOutcome("evt_foreign")).isEqualTo("UNKNOWN_INVOICE");
        assertThat(fixtures.status(invoice.id())).isEqualTo("SENT");
    }

    /** A finalized invoice pushed as a PaymentIntent that Stripe leaves processing: SENT, paid later by webhook. */
    private FinalizedInvoice sentInvoice(String currency, String due) {
        Client client = fixtures.client("acme", "tenant-acme", "Acme Corp", currency);
        clock.set(LINKED_AT);
        String customer = customers.ensure(client.id());
        clock.set(NOW);
        stripe.setDefaultPaymentMethod(customer, StripeStandIn.PROCESSING_PAYMENT_METHOD);
        FinalizedInvoice invoice = fixtures.invoice(client, "INV-ACME-2026-05", FINALIZED_AT, due);
        assertThat(sync.push(invoice.id()).result()).isEqualTo(PushOutcome.Result.PUSHED);
        assertThat(fixtures.status(invoice.id())).isEqualTo("SENT");
        return invoice;
    }

    /** The pushed PaymentIntent as Stripe sends it once it succeeded with {@code amountReceived}. */
    private JsonObject succeeded(long amountReceived) {
        JsonObject intent = stripe.objects("payment_intent").get(0).deepCopy();
        intent.addProperty("status", "succeeded");
        intent.addProperty("amount_received", amountReceived);
        return intent;
    }

    /** The pushed PaymentIntent as Stripe sends it after a declined attempt. */
    private JsonObject failed() {
        JsonObject intent = stripe.objects("payment_intent").get(0).deepCopy();
        intent.addProperty("status", "requires_payment_method");
        JsonObject error = new JsonObject();
        error.addProperty("type", "card_error");
        error.addProperty("code", "card_declined");
        error.addProperty("decline_code", "insufficient_funds");
        error.addProperty("message", "Your card has insufficient funds.");
        intent.add("last_payment_error", error);
        return intent;
    }

    /** The charge of the pushed PaymentIntent with {@code amountRefunded} (cumulative) refunded. */
    private JsonObject refunded(long amountRefunded) {
        JsonObject intent = stripe.objects("payment_intent").get(0);
        JsonObject charge = new JsonObject();
        charge.addProperty("id", "ch_standin_refunded");
        charge.addProperty("object", "charge");
        charge.addProperty("amount", intent.get("amount").getAsLong());
        charge.addProperty("amount_captured", intent.get("amount").getAsLong());
        charge.addProperty("amount_refunded", amountRefunded);
        charge.addProperty("captured", true);
        charge.addProperty("currency", intent.get("currency").getAsString());
        charge.addProperty("customer", intent.get("customer").getAsString());
        charge.addProperty("livemode", false);
        charge.add("metadata", new JsonObject());
        charge.addProperty("paid", true);
        charge.addProperty("payment_intent", intent.get("id").getAsString());
        charge.addProperty("refunded", amountRefunded == intent.get("amount").getAsLong());
        charge.addProperty("status", "succeeded");
        return charge;
    }

    private WebhookReceipt deliver(byte[] body) {
        return webhooks.receive(body, WebhookDeliveries.signature(body, clock.instant(),
                StripeEnabledProfile.WEBHOOK_SECRET));
    }

    private static SignatureVector sharedVector() {
        Optional<SignatureVector> vector = SignatureVector.load();
        assumeThat(vector).as("the shared fixtures are not beside the checkout at " + SignatureVector.fixtures()
                .toAbsolutePath().normalize()).isPresent();
        return vector.get();
    }
}

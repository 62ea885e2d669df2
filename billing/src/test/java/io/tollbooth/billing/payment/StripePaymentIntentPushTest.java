package io.tollbooth.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.gson.JsonObject;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.payment.PaymentFixtures.Client;
import io.tollbooth.billing.payment.PaymentFixtures.FinalizedInvoice;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Collecting invoices as one PaymentIntent each, against the customer's saved payment method (cases 21, 23). */
@QuarkusTest
@TestProfile(StripePaymentIntentProfile.class)
class StripePaymentIntentPushTest {

    private static final Instant LINKED_AT = Instant.parse("2026-06-01T08:00:00Z");
    private static final Instant FINALIZED_AT = Instant.parse("2026-06-01T09:00:00Z");
    private static final Instant NOW = Instant.parse("2026-06-01T09:05:00Z");
    private static final String CARD = "pm_card_visa";
    private static final String PAYMENT_INTENTS = "/v1/payment_intents";

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

    @ParameterizedTest
    @CsvSource({"JPY, 1500, 1500, jpy", "USD, 15.00, 1500, usd", "KRW, 20000, 20000, krw"})
    void chargesTheAmountDueInStripesMinorUnitOfTheCurrency(String currency, String due, String amount,
            String stripeCurrency) {
        // Case 21: ¥1,500 is 1500 "jpy" (not 150000), $15.00 is 1500 "usd", ₩20,000 is 20000.
        Client client = linkedClient(currency, CARD);
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, due);

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.PUSHED);
        StripeStandIn.Request create = single(stripe.requests("POST", PAYMENT_INTENTS));
        assertThat(create.params()).containsOnly(
                entry("amount", amount),
                entry("currency", stripeCurrency),
                entry("customer", customerOf(client)),
                entry("payment_method", CARD),
                entry("confirm", "true"),
                entry("off_session", "true"),
                entry("automatic_payment_methods[enabled]", "true"),
                entry("automatic_payment_methods[allow_redirects]", "never"),
                entry("description", "Invoice ACME-2026-000001"),
                entry("metadata[tollbooth_invoice_id]", invoice.id().toString()),
                entry("metadata[tollbooth_invoice_number]", "ACME-2026-000001"));
        assertThat(create.idempotencyKey()).isEqualTo("tollbooth:invoice:" + invoice.id() + ":payment-intent");
        assertThat(fixtures.status(invoice.id())).isEqualTo("PAID");
        assertThat(payments.find(invoice.id()).orElseThrow().paidAmount()).isEqualTo(new BigDecimal(due));
    }

    @Test
    void marksAYenInvoicePaidInFullWhenStripeReportsFifteenHundredReceived() {
        // Case 21: the payment_intent.succeeded webhook with amount_received 1500 pays ¥1,500, not ¥15.
        Client client = linkedClient("JPY", StripeStandIn.PROCESSING_PAYMENT_METHOD);
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "1500");
        sync.push(invoice.id());
        assertThat(fixtures.status(invoice.id())).isEqualTo("SENT");

        JsonObject intent = stripe.objects("payment_intent").get(0);
        intent.addProperty("status", "succeeded");
        intent.addProperty("amount_received", 1500);
        WebhookReceipt receipt = deliver("evt_case21_paid", "payment_intent.succeeded", intent);

        assertThat(receipt.effect()).isEqualTo(PaymentEffect.MARKED_PAID);
        assertThat(receipt.invoiceId()).isEqualTo(invoice.id());
        assertThat(fixtures.status(invoice.id())).isEqualTo("PAID");
        InvoicePaymentView payment = payments.find(invoice.id()).orElseThrow();
        assertThat(payment.paidAmount()).isEqualTo(new BigDecimal("1500"));
        assertThat(payment.paymentError()).isNull();
        assertThat(fixtures.transitions(invoice.id()))
                .containsExactly("FINALIZED>SENT by stripe", "SENT>PAID by stripe");
    }

    @Test
    void leavesAYenInvoiceUnpaidWhenStripeReportsOnlyFifteen() {
        // The mistake case 21 warns of, seen from the other side: 15 received is ¥15, which does not pay ¥1,500.
        Client client = linkedClient("JPY", StripeStandIn.PROCESSING_PAYMENT_METHOD);
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "1500");
        sync.push(invoice.id());

        JsonObject intent = stripe.objects("payment_intent").get(0);
        intent.addProperty("status", "succeeded");
        intent.addProperty("amount_received", 15);
        WebhookReceipt receipt = deliver("evt_case21_short", "payment_intent.succeeded", intent);

        assertThat(receipt.effect()).isEqualTo(PaymentEffect.AMOUNT_MISMATCH);
        assertThat(fixtures.status(invoice.id())).isEqualTo("SENT");
        assertThat(payments.find(invoice.id()).orElseThrow().paymentError()).isEqualTo("payment_intent.succeeded"
                + " evt_case21_short reported 15 JPY paid for invoice ACME-2026-000001, but 1500 JPY is due; the"
                + " invoice stays SENT");
    }

    @Test
    void createsExactlyOnePaymentIntentWhenTheFirstAnswerTimesOut() {
        // Case 23: Stripe creates the PaymentIntent but answers after the client's timeout; the retry carries the
        // same key, so Stripe answers with the same PaymentIntent instead of charging again.
        Client client = linkedClient("USD", CARD);
        FinalizedInvoice invoice = fixtures.invoice(client, "INV-ACME-2026-05", FINALIZED_AT, "123.45");
        stripe.timeOutNext("POST", PAYMENT_INTENTS, 1);

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.PUSHED);
        List<StripeStandIn.Request> creates = stripe.requests("POST", PAYMENT_INTENTS);
        assertThat(creates).hasSize(2)
                .extracting(StripeStandIn.Request::idempotencyKey)
                .containsOnly("tollbooth:invoice:" + invoice.id() + ":payment-intent");
        assertThat(creates.get(1).params()).isEqualTo(creates.get(0).params()).containsEntry("amount", "12345");
        assertThat(pauses.pauses()).containsExactly(Duration.ofMillis(500));
        List<JsonObject> intents = stripe.objects("payment_intent");
        assertThat(intents).hasSize(1);
        assertThat(payments.find(invoice.id()).orElseThrow().paymentIntentId())
                .isEqualTo(intents.get(0).get("id").getAsString());
        assertThat(fixtures.status(invoice.id())).isEqualTo("PAID");
    }

    @Test
    void resumesAfterACrashBetweenStripesChargeAndTheLocalRecordWithoutChargingTwice() {
        // Case 23: Stripe created the PaymentIntent, every answer was lost, the job stopped; the restarted job
        // sends the same key and records the PaymentIntent Stripe already had.
        Client client = linkedClient("USD", CARD);
        FinalizedInvoice invoice = fixtures.invoice(client, "INV-ACME-2026-05", FINALIZED_AT, "123.45");
        stripe.dropNext("POST", PAYMENT_INTENTS, 100);

        PushOutcome interrupted = sync.push(invoice.id());

        assertThat(interrupted.result()).isEqualTo(PushOutcome.Result.RETRY_LATER);
        assertThat(interrupted.error()).isEqualTo(PaymentSyncError.STRIPE_UNAVAILABLE);
        assertThat(stripe.objects("payment_intent")).hasSize(1);
        InvoicePaymentView pending = payments.find(invoice.id()).orElseThrow();
        assertThat(pending.syncStatus()).isEqualTo(PaymentSyncStatus.PENDING);
        assertThat(pending.paymentIntentId()).isNull();
        assertThat(fixtures.status(invoice.id())).isEqualTo("FINALIZED");

        stripe.clearFaults();
        List<PushOutcome> restarted = sync.pushPending();

        assertThat(restarted).extracting(PushOutcome::invoiceId, PushOutcome::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(invoice.id(), PushOutcome.Result.PUSHED));
        List<JsonObject> intents = stripe.objects("payment_intent");
        assertThat(intents).hasSize(1);
        assertThat(stripe.requests("POST", PAYMENT_INTENTS)).extracting(StripeStandIn.Request::idempotencyKey)
                .containsOnly("tollbooth:invoice:" + invoice.id() + ":payment-intent");
        InvoicePaymentView pushed = payments.find(invoice.id()).orElseThrow();
        assertThat(pushed.paymentIntentId()).isEqualTo(intents.get(0).get("id").getAsString());
        assertThat(pushed.attempts()).isEqualTo(2);
        assertThat(fixtures.status(invoice.id())).isEqualTo("PAID");
    }

    @Test
    void marksTheInvoicePaymentFailedWhenTheSavedCardIsDeclined() {
        Client client = linkedClient("USD", StripeStandIn.DECLINING_PAYMENT_METHOD);
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "15.00");

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.PUSHED);
        assertThat(stripe.requests("POST", PAYMENT_INTENTS)).hasSize(1);
        assertThat(pauses.pauses()).isEmpty();
        assertThat(fixtures.status(invoice.id())).isEqualTo("PAYMENT_FAILED");
        InvoicePaymentView payment = payments.find(invoice.id()).orElseThrow();
        assertThat(payment.paymentIntentId()).isEqualTo(stripe.objects("payment_intent").get(0).get("id")
                .getAsString());
        assertThat(payment.paymentError()).isEqualTo("PaymentIntent " + payment.paymentIntentId()
                + ": Your card was declined. (card_declined/generic_decline)");
        assertThat(fixtures.transitions(invoice.id()))
                .containsExactly("FINALIZED>SENT by stripe", "SENT>PAYMENT_FAILED by stripe");
    }

    @Test
    void stopsForTheOperatorWhenTheCustomerHasNoSavedPaymentMethod() {
        Client client = linkedClient("USD", null);
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "15.00");

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.FAILED);
        assertThat(outcome.error()).isEqualTo(PaymentSyncError.NO_PAYMENT_METHOD);
        assertThat(stripe.requests("POST", PAYMENT_INTENTS)).isEmpty();
        InvoicePaymentView payment = payments.find(invoice.id()).orElseThrow();
        assertThat(payment.syncStatus()).isEqualTo(PaymentSyncStatus.FAILED);
        assertThat(payment.syncError()).isEqualTo("Stripe customer " + customerOf(client) + " has no default"
                + " payment method (invoice_settings.default_payment_method) to charge");
        assertThat(fixtures.status(invoice.id())).isEqualTo("FINALIZED");
    }

    /** A client linked to a Stripe customer before its invoice was finalized, with a saved payment method. */
    private Client linkedClient(String currency, String paymentMethod) {
        Client client = fixtures.client("acme", "tenant-acme", "Acme Corp", currency);
        clock.set(LINKED_AT);
        String customer = customers.ensure(client.id());
        clock.set(NOW);
        if (paymentMethod != null) {
            stripe.setDefaultPaymentMethod(customer, paymentMethod);
        }
        return client;
    }

    private String customerOf(Client client) {
        return customers.customerOf(client.id()).orElseThrow();
    }

    private WebhookReceipt deliver(String eventId, String type, JsonObject object) {
        byte[] body = WebhookDeliveries.event(eventId, type, object);
        return webhooks.receive(body, WebhookDeliveries.signature(body, clock.instant(),
                StripeEnabledProfile.WEBHOOK_SECRET));
    }

    private static StripeStandIn.Request single(List<StripeStandIn.Request> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

}

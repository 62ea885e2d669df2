package io.tollbooth.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import com.google.gson.JsonObject;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.payment.PaymentFixtures.Client;
import io.tollbooth.billing.payment.PaymentFixtures.FinalizedInvoice;
import io.tollbooth.billing.payment.PaymentFixtures.Tax;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Collecting invoices as invoice items on a Stripe invoice that Stripe then collects (case 23, retries). */
@QuarkusTest
@TestProfile(StripeEnabledProfile.class)
class StripeInvoicePushTest {

    private static final Instant LINKED_AT = Instant.parse("2026-06-01T08:00:00Z");
    private static final Instant FINALIZED_AT = Instant.parse("2026-06-01T09:00:00Z");
    private static final Instant NOW = Instant.parse("2026-06-01T09:05:00Z");
    private static final String INVOICES = "/v1/invoices";
    private static final String INVOICE_ITEMS = "/v1/invoiceitems";

    @InjectStripeStandIn
    StripeStandIn stripe;

    @Inject
    StripeInvoiceSync sync;

    @Inject
    StripeCustomers customers;

    @Inject
    InvoicePayments payments;

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
    void pushesEveryLineTaxAndTheCreditAsItemsOfOneStripeInvoiceThenFinalizesIt() {
        // 10.00 + 2.50 = 12.50; 19 % of it is 2.375, rounded once to 2.38; total 14.88; 5.00 credit; 9.88 due.
        Client client = linkedClient("USD");
        String customer = customers.customerOf(client.id()).orElseThrow();
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000007", FINALIZED_AT,
                List.of("10.00", "2.50"), List.of(new Tax("VAT", "19", "2.38")), "5.00");
        String key = "tollbooth:invoice:" + invoice.id() + ":";

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.PUSHED);
        StripeStandIn.Request create = single(stripe.requests("POST", INVOICES));
        assertThat(create.idempotencyKey()).isEqualTo(key + "stripe-invoice");
        assertThat(create.params()).containsOnly(
                entry("customer", customer),
                entry("currency", "usd"),
                entry("collection_method", "charge_automatically"),
                entry("auto_advance", "false"),
                entry("pending_invoice_items_behavior", "exclude"),
                entry("description", "Invoice ACME-2026-000007"),
                entry("metadata[tollbooth_invoice_id]", invoice.id().toString()),
                entry("metadata[tollbooth_invoice_number]", "ACME-2026-000007"));
        String stripeInvoice = stripe.objects("invoice").get(0).get("id").getAsString();

        List<StripeStandIn.Request> items = stripe.requests("POST", INVOICE_ITEMS);
        assertThat(items).extracting(StripeStandIn.Request::idempotencyKey, r -> r.param("amount"),
                r -> r.param("description"), r -> r.param("metadata[tollbooth_charge]"))
                .containsExactly(
                        tuple(key + "item:line-1", "1000", "gpt-4o line 1", "line-1"),
                        tuple(key + "item:line-2", "250", "gpt-4o line 2", "line-2"),
                        tuple(key + "item:tax-1", "238", "VAT 19 %", "tax-1"),
                        tuple(key + "item:credit", "-500", "Prepaid credit applied", "credit"));
        assertThat(items.get(0).params()).containsOnly(
                entry("customer", customer),
                entry("invoice", stripeInvoice),
                entry("amount", "1000"),
                entry("currency", "usd"),
                entry("description", "gpt-4o line 1"),
                entry("metadata[tollbooth_invoice_id]", invoice.id().toString()),
                entry("metadata[tollbooth_charge]", "line-1"));

        StripeStandIn.Request finalize = single(stripe.requests("POST", INVOICES + "/" + stripeInvoice
                + "/finalize"));
        assertThat(finalize.idempotencyKey()).isEqualTo(key + "finalize");
        assertThat(finalize.params()).containsOnly(entry("auto_advance", "true"));
        JsonObject finalized = stripe.object(stripeInvoice);
        assertThat(finalized.get("status").getAsString()).isEqualTo("open");
        assertThat(finalized.get("amount_due").getAsLong()).isEqualTo(988L);

        InvoicePaymentView payment = payments.find(invoice.id()).orElseThrow();
        assertThat(payment.syncStatus()).isEqualTo(PaymentSyncStatus.PUSHED);
        assertThat(payment.stripeInvoiceId()).isEqualTo(stripeInvoice);
        assertThat(payment.customerId()).isEqualTo(customer);
        assertThat(fixtures.status(invoice.id())).isEqualTo("SENT");
        assertThat(fixtures.transitions(invoice.id())).containsExactly("FINALIZED>SENT by stripe");
    }

    @Test
    void createsExactlyFiveItemsWhenTheJobDiesAfterTwoOfFiveAndRestarts() {
        // Case 23: Stripe takes item 3 but its answer is lost and Stripe becomes unreachable, so the job stops
        // with items 1 and 2 recorded; the restarted job resends item 3 with its key and pushes 4 and 5.
        Client client = linkedClient("USD");
        FinalizedInvoice invoice = fixtures.invoice(client, "INV-ACME-2026-05", FINALIZED_AT,
                "20.00", "30.00", "40.00", "13.45", "20.00");
        stripe.dropAfter("POST", INVOICE_ITEMS, 2);

        PushOutcome killed = sync.push(invoice.id());

        assertThat(killed.result()).isEqualTo(PushOutcome.Result.RETRY_LATER);
        assertThat(fixtures.recordedItems(invoice.id())).extracting(Map.Entry::getKey)
                .containsExactly("line-1", "line-2");
        assertThat(stripe.objects("invoiceitem")).hasSize(3);
        assertThat(fixtures.status(invoice.id())).isEqualTo("FINALIZED");

        stripe.clearFaults();
        List<PushOutcome> restarted = sync.pushPending();

        assertThat(restarted).extracting(PushOutcome::result).containsExactly(PushOutcome.Result.PUSHED);
        List<JsonObject> items = stripe.objects("invoiceitem");
        assertThat(items).hasSize(5)
                .extracting(item -> item.getAsJsonObject("metadata").get("tollbooth_charge").getAsString(),
                        item -> item.get("amount").getAsLong())
                .containsExactly(tuple("line-1", 2000L), tuple("line-2", 3000L), tuple("line-3", 4000L),
                        tuple("line-4", 1345L), tuple("line-5", 2000L));
        assertThat(fixtures.recordedItems(invoice.id())).extracting(Map.Entry::getValue)
                .containsExactlyInAnyOrderElementsOf(items.stream().map(i -> i.get("id").getAsString()).toList());
        assertThat(stripe.requests("POST", INVOICE_ITEMS))
                .filteredOn(r -> "line-3".equals(r.param("metadata[tollbooth_charge]")))
                .extracting(StripeStandIn.Request::idempotencyKey)
                .containsOnly("tollbooth:invoice:" + invoice.id() + ":item:line-3");
        assertThat(stripe.objects("invoice")).hasSize(1);
        assertThat(stripe.objects("invoice").get(0).get("amount_due").getAsLong()).isEqualTo(12345L);
        assertThat(fixtures.status(invoice.id())).isEqualTo("SENT");
    }

    @Test
    void retriesServerErrorsWithTheSameKeyAfterDoublingWaits() {
        Client client = linkedClient("USD");
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "15.00");
        stripe.failNext("POST", INVOICES, 2, 500, "api_error", null, "An unknown error occurred", null);

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.PUSHED);
        assertThat(stripe.requests("POST", INVOICES)).hasSize(3).extracting(StripeStandIn.Request::idempotencyKey)
                .containsOnly("tollbooth:invoice:" + invoice.id() + ":stripe-invoice");
        // 500 ms, then 1000 ms capped at the profile's 800 ms.
        assertThat(pauses.pauses()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(800));
        assertThat(stripe.objects("invoice")).hasSize(1);
    }

    @Test
    void retriesRateLimitsAndIdempotencyConflictsInProgress() {
        Client client = linkedClient("USD");
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "15.00");
        stripe.failNext("POST", INVOICES, 1, 429, "invalid_request_error", "rate_limit", "Too many requests hit the"
                + " API too quickly.", null);
        stripe.failNext("POST", INVOICE_ITEMS, 1, 409, "idempotency_error", null, "There is currently another"
                + " in-progress request using this Idempotent Key (that probably means you submitted twice, and the"
                + " other request is still going through). Please try again later.", null);

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.PUSHED);
        assertThat(stripe.requests("POST", INVOICES)).hasSize(2);
        assertThat(stripe.requests("POST", INVOICE_ITEMS)).hasSize(2);
        assertThat(pauses.pauses()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
        assertThat(stripe.objects("invoiceitem")).hasSize(1);
    }

    @Test
    void followsStripesAdviceNotToRetryEvenAServerError() {
        Client client = linkedClient("USD");
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "15.00");
        stripe.failNext("POST", INVOICES, 1, 500, "api_error", null, "An unknown error occurred", false);

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.FAILED);
        assertThat(outcome.error()).isEqualTo(PaymentSyncError.STRIPE_REJECTED);
        assertThat(stripe.requests("POST", INVOICES)).hasSize(1);
        assertThat(pauses.pauses()).isEmpty();
    }

    @Test
    void staysPendingWhenStripeIsDownAndResumesOnTheNextRun() {
        Client client = linkedClient("USD");
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "15.00");
        stripe.failNext("POST", INVOICES, 3, 503, "api_error", null, "Service unavailable", null);

        PushOutcome down = sync.push(invoice.id());

        assertThat(down.result()).isEqualTo(PushOutcome.Result.RETRY_LATER);
        InvoicePaymentView pending = payments.find(invoice.id()).orElseThrow();
        assertThat(pending.syncStatus()).isEqualTo(PaymentSyncStatus.PENDING);
        assertThat(pending.syncErrorCode()).isEqualTo(PaymentSyncError.STRIPE_UNAVAILABLE);
        assertThat(pending.syncError()).isEqualTo("Stripe create invoice failed after 3 attempts: HTTP 503"
                + " api_error: Service unavailable (request req_standin_4)");

        List<PushOutcome> next = sync.pushPending();

        assertThat(next).extracting(PushOutcome::result).containsExactly(PushOutcome.Result.PUSHED);
        InvoicePaymentView pushed = payments.find(invoice.id()).orElseThrow();
        assertThat(pushed.syncErrorCode()).isNull();
        assertThat(pushed.attempts()).isEqualTo(2);
        assertThat(stripe.objects("invoice")).hasSize(1);
    }

    @Test
    void showsARefusalToTheOperatorWithoutRetryingAndTriesAgainOnlyWhenAsked() {
        Client client = linkedClient("USD");
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "15.00");
        stripe.failNext("POST", INVOICE_ITEMS, 1, 400, "invalid_request_error", "amount_too_small", "Amount must"
                + " be at least $0.50 usd", null);

        PushOutcome refused = sync.push(invoice.id());

        assertThat(refused.result()).isEqualTo(PushOutcome.Result.FAILED);
        assertThat(stripe.requests("POST", INVOICE_ITEMS)).hasSize(1);
        assertThat(pauses.pauses()).isEmpty();
        InvoicePaymentView failed = payments.find(invoice.id()).orElseThrow();
        assertThat(failed.syncStatus()).isEqualTo(PaymentSyncStatus.FAILED);
        assertThat(failed.syncErrorCode()).isEqualTo(PaymentSyncError.STRIPE_REJECTED);
        assertThat(failed.syncError()).startsWith("Stripe create invoice item line-1 failed after 1 attempt: HTTP 400"
                + " invalid_request_error/amount_too_small: Amount must be at least $0.50 usd (request req_standin_");
        assertThat(sync.pushPending()).isEmpty();

        PushOutcome retried = sync.push(invoice.id());

        assertThat(retried.result()).isEqualTo(PushOutcome.Result.PUSHED);
        assertThat(stripe.objects("invoice")).hasSize(1);
        assertThat(stripe.objects("invoiceitem")).hasSize(1);
    }

    @Test
    void refusesAnAmountStripeCannotChargeExactlyBeforeSendingAnything() {
        Client client = fixtures.client("acme", "kuwait", "Kuwait Data Co", "KWD");
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "1.235");

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.FAILED);
        assertThat(outcome.error()).isEqualTo(PaymentSyncError.AMOUNT_NOT_COLLECTABLE);
        assertThat(outcome.message()).isEqualTo("amount 1.235 KWD cannot be charged through Stripe: it is not a"
                + " multiple of 10 minor units, which Stripe requires for kwd");
        assertThat(stripe.requests()).isEmpty();
    }

    @Test
    void sendsNothingWhenPrepaidCreditCoversTheWholeInvoice() {
        Client client = linkedClient("USD");
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, List.of("10.00"),
                List.of(), "10.00");
        int requestsBefore = stripe.requests().size();

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.NOTHING_TO_COLLECT);
        assertThat(stripe.requests()).hasSize(requestsBefore);
        assertThat(payments.find(invoice.id()).orElseThrow().syncStatus())
                .isEqualTo(PaymentSyncStatus.NOTHING_TO_COLLECT);
        assertThat(sync.pushPending()).isEmpty();
    }

    @Test
    void pushesOnlyInvoicesOfLinkedClientsFinalizedAfterTheLink() {
        Client linked = linkedClient("USD");
        Client unlinked = fixtures.client("beta", "tenant-beta", "Beta Ltd", "USD");
        FinalizedInvoice before = fixtures.invoice(linked, "ACME-2026-000001", LINKED_AT.minusSeconds(3600),
                "15.00");
        FinalizedInvoice after = fixtures.invoice(linked, "ACME-2026-000002", FINALIZED_AT, "15.00");
        fixtures.invoice(unlinked, "BETA-2026-000001", FINALIZED_AT, "15.00");

        List<PushOutcome> outcomes = sync.pushPending();

        assertThat(outcomes).extracting(PushOutcome::invoiceId, PushOutcome::result)
                .containsExactly(tuple(after.id(), PushOutcome.Result.PUSHED));
        assertThat(payments.find(before.id())).isEmpty();
        assertThat(sync.push(before.id()).result()).isEqualTo(PushOutcome.Result.PUSHED);
    }

    @Test
    void neverPushesAnInvoiceThatIsNotFinalized() {
        Client client = linkedClient("USD");
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "15.00");
        fixtures.setStatus(invoice.id(), "VOID");

        PushOutcome outcome = sync.push(invoice.id());

        assertThat(outcome.result()).isEqualTo(PushOutcome.Result.NOT_PUSHABLE);
        assertThat(outcome.message()).isEqualTo("invoice ACME-2026-000001 is VOID; only a finalized invoice is"
                + " pushed");
        assertThat(stripe.requests("POST", INVOICES)).isEmpty();
    }

    @Test
    void pushesAnInvoiceOnceHoweverOftenItIsAskedFor() {
        Client client = linkedClient("USD");
        FinalizedInvoice invoice = fixtures.invoice(client, "ACME-2026-000001", FINALIZED_AT, "15.00");

        sync.push(invoice.id());
        PushOutcome again = sync.push(invoice.id());

        assertThat(again.result()).isEqualTo(PushOutcome.Result.ALREADY_DONE);
        assertThat(stripe.requests("POST", INVOICES)).hasSize(1);
        assertThat(stripe.requests("POST", INVOICE_ITEMS)).hasSize(1);
    }

    @Test
    void createsTheCustomerOnceAndUpdatesItWithAKeyOfItsContent() {
        Client client = fixtures.client("acme", "tenant-acme", "Acme Corp", "USD");

        String created = customers.sync(client.id());
        String again = customers.sync(client.id());
        fixtures.rename(client.id(), "Acme Corporation");
        customers.sync(client.id());

        assertThat(again).isEqualTo(created);
        StripeStandIn.Request create = single(stripe.requests("POST", "/v1/customers"));
        assertThat(create.idempotencyKey()).isEqualTo("tollbooth:client:" + client.id() + ":customer");
        assertThat(create.params()).containsOnly(entry("name", "Acme Corp"),
                entry("metadata[tollbooth_client_id]", client.id().toString()),
                entry("metadata[tollbooth_client_slug]", "tenant-acme"));
        List<StripeStandIn.Request> updates = stripe.requests("POST", "/v1/customers/" + created);
        assertThat(updates).hasSize(2);
        assertThat(updates.get(0).idempotencyKey()).startsWith("tollbooth:client:" + client.id()
                + ":customer-update:").isNotEqualTo(updates.get(1).idempotencyKey());
        assertThat(stripe.objects("customer")).hasSize(1);
        assertThat(stripe.object(created).get("name").getAsString()).isEqualTo("Acme Corporation");
    }

    private Client linkedClient(String currency) {
        Client client = fixtures.client("acme", "tenant-acme", "Acme Corp", currency);
        clock.set(LINKED_AT);
        customers.ensure(client.id());
        clock.set(NOW);
        return client;
    }

    private static StripeStandIn.Request single(List<StripeStandIn.Request> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}

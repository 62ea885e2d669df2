package io.tollbooth.billing.payment;

import java.util.UUID;

/**
 * The idempotency key of every request that creates something at Stripe, derived only from what the request is for
 * (the invoice or client id, the purpose, the line), never from an attempt number, a time or a random value: a
 * retry after a timeout, or a push restarted after a crash, sends the same key and Stripe answers with the object it
 * already made. Stripe keeps keys for at least 24 hours; beyond that, what was created is known from the local
 * records, which are written as soon as Stripe confirms.
 */
final class IdempotencyKeys {

    private static final String PREFIX = "tollbooth:";

    private IdempotencyKeys() {
    }

    /** Creating the client's Stripe customer. */
    static String customer(UUID clientId) {
        return PREFIX + "client:" + clientId + ":customer";
    }

    /** Updating the client's Stripe customer to a given content, identified by its fingerprint. */
    static String customerUpdate(UUID clientId, String fingerprint) {
        return PREFIX + "client:" + clientId + ":customer-update:" + fingerprint;
    }

    /** Creating the Stripe invoice of an invoice. */
    static String stripeInvoice(UUID invoiceId) {
        return invoice(invoiceId) + "stripe-invoice";
    }

    /** Creating the Stripe invoice item of one charge of an invoice: {@code line-3}, {@code tax-1}, {@code credit}. */
    static String invoiceItem(UUID invoiceId, String chargeKey) {
        return invoice(invoiceId) + "item:" + chargeKey;
    }

    /** Finalizing the Stripe invoice of an invoice. */
    static String finalizeStripeInvoice(UUID invoiceId) {
        return invoice(invoiceId) + "finalize";
    }

    /** Creating and confirming the PaymentIntent of an invoice. */
    static String paymentIntent(UUID invoiceId) {
        return invoice(invoiceId) + "payment-intent";
    }

    private static String invoice(UUID invoiceId) {
        return PREFIX + "invoice:" + invoiceId + ":";
    }
}

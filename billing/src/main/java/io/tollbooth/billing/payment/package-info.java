/**
 * Collecting invoices through Stripe, exactly once.
 *
 * <p>{@link io.tollbooth.billing.payment.StripeInvoiceSync} pushes a finalized invoice to Stripe (invoice items and
 * a Stripe invoice, or a PaymentIntent against the customer's saved payment method) with idempotency keys derived
 * from the invoice id and the purpose of each request, recording locally only what Stripe confirmed; a push that is
 * interrupted at any point is resumed by the next one without a second item or charge.
 * {@link io.tollbooth.billing.payment.StripeWebhooks} verifies Stripe's webhook deliveries on their raw bytes and
 * applies each event once. Stripe's minor-unit integers exist only inside this package, in
 * {@link io.tollbooth.billing.payment.StripeAmounts}.
 */
package io.tollbooth.billing.payment;

package io.tollbooth.billing.payment;

/** How a finalized invoice is collected through Stripe. */
public enum StripeMode {

    /**
     * One Stripe invoice item per invoice line, tax and credit, on a Stripe invoice that is finalized and then
     * collected by Stripe from the customer's default payment method (Stripe retries failed payments itself).
     */
    INVOICE,
    /** One PaymentIntent for the amount due, confirmed at once against the customer's saved payment method. */
    PAYMENT_INTENT
}

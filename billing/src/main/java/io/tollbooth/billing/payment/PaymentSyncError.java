package io.tollbooth.billing.payment;

/** Why pushing an invoice to Stripe did not complete; shown to the operator with the invoice's payment. */
public enum PaymentSyncError {

    /**
     * Stripe could not be reached or asked to retry, and every attempt failed. The push stays pending and the next
     * run resumes it with the same idempotency keys.
     */
    STRIPE_UNAVAILABLE,
    /** Stripe refused a request that must not be retried as it is (invalid parameters, authentication, ...). */
    STRIPE_REJECTED,
    /** An amount cannot be charged through Stripe exactly (see {@link StripeAmounts}). */
    AMOUNT_NOT_COLLECTABLE,
    /** The client's Stripe customer has no saved default payment method to charge. */
    NO_PAYMENT_METHOD,
    /** What Stripe would collect differs from the invoice's amount due; nothing is collected. */
    AMOUNT_MISMATCH
}

package io.tollbooth.billing.payment;

/** How far an invoice's push to Stripe got. */
public enum PaymentSyncStatus {

    /** Not pushed yet, or interrupted by a failure that may pass (see the sync error); the next push resumes it. */
    PENDING,
    /** Stripe confirmed the Stripe invoice or the PaymentIntent; nothing more is sent for this invoice. */
    PUSHED,
    /** Stopped by a failure the operator must resolve (see the sync error); pushed again only on request. */
    FAILED,
    /** The amount due is zero (prepaid credit covered it): nothing is sent to Stripe. */
    NOTHING_TO_COLLECT
}

package io.tollbooth.billing.payment;

import java.util.UUID;

/**
 * What one push of an invoice to Stripe did.
 *
 * @param invoiceId the invoice
 * @param result what happened
 * @param error why it did not complete; null unless {@link Result#RETRY_LATER} or {@link Result#FAILED}
 * @param message what happened, for people: the Stripe object pushed, or the failure with Stripe's message
 */
public record PushOutcome(UUID invoiceId, Result result, PaymentSyncError error, String message) {

    /** What happened to the invoice. */
    public enum Result {
        /** This push completed: Stripe confirmed the Stripe invoice or the PaymentIntent. */
        PUSHED,
        /** An earlier push completed (or nothing was due); nothing was sent. */
        ALREADY_DONE,
        /** The amount due is zero; nothing was sent and nothing will be. */
        NOTHING_TO_COLLECT,
        /** The invoice is not finalized (a draft, void, or already settled): nothing was sent. */
        NOT_PUSHABLE,
        /** Stripe could not be reached or asked to retry; the push stays pending and resumes next time. */
        RETRY_LATER,
        /** The push stopped for a reason the operator must resolve; see {@link #error()}. */
        FAILED
    }

    static PushOutcome of(UUID invoiceId, Result result, String message) {
        return new PushOutcome(invoiceId, result, null, message);
    }

    static PushOutcome failed(UUID invoiceId, PaymentSyncException failure) {
        return new PushOutcome(invoiceId, failure.retryable() ? Result.RETRY_LATER : Result.FAILED,
                failure.error(), failure.getMessage());
    }
}

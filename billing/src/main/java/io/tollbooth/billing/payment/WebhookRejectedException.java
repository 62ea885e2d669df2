package io.tollbooth.billing.payment;

/**
 * A webhook delivery that was not processed because it could not be trusted or read; nothing was written. Stripe
 * is answered with a 4xx and delivers the event again later, so a secret fixed in the meantime recovers it.
 */
public class WebhookRejectedException extends RuntimeException {

    private final Reason reason;

    public WebhookRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the delivery was rejected. */
    public Reason reason() {
        return reason;
    }

    /** Why a delivery was rejected. */
    public enum Reason {
        /** Stripe is switched off, or no webhook secret is configured. */
        NOT_ACCEPTING,
        /** The {@code Stripe-Signature} header is missing, malformed, matches no secret, or is too old or new. */
        BAD_SIGNATURE,
        /** The signed body is not a Stripe event. */
        NOT_AN_EVENT
    }
}

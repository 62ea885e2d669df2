package io.tollbooth.billing.payment;

/** A push to Stripe that stopped for a reason the operator must see; {@link #error()} is the stable code. */
public class PaymentSyncException extends RuntimeException {

    private final PaymentSyncError error;

    public PaymentSyncException(PaymentSyncError error, String message) {
        super(message);
        this.error = error;
    }

    public PaymentSyncException(PaymentSyncError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The stable code of the failure. */
    public PaymentSyncError error() {
        return error;
    }

    /** Whether the same push may succeed later without anyone changing anything. */
    public boolean retryable() {
        return error == PaymentSyncError.STRIPE_UNAVAILABLE;
    }
}

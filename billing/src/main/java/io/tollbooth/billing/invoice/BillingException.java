package io.tollbooth.billing.invoice;

/**
 * A billing request refused for a reason a person can act on. Nothing was written when it is thrown.
 *
 * <p>The message names the client, the period and what to fix; {@link #error()} is the stable code to map.
 */
public class BillingException extends RuntimeException {

    private final BillingError error;

    public BillingException(BillingError error, String message) {
        super(message);
        this.error = error;
    }

    /** The stable code of the refusal. */
    public BillingError error() {
        return error;
    }
}

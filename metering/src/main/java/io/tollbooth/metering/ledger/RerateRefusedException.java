package io.tollbooth.metering.ledger;

/**
 * A re-rating that was refused; nothing was changed. The admin API answers it as a conflict with this message.
 */
public class RerateRefusedException extends RuntimeException {

    public RerateRefusedException(String message) {
        super(message);
    }
}

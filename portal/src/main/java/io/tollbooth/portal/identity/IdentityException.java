package io.tollbooth.portal.identity;

/** Keycloak refused or failed a change to a person; the message says what, never a credential. */
public class IdentityException extends RuntimeException {

    /** What went wrong, so the API can answer with the right status. */
    public enum Reason {
        /** Keycloak already has a user with this e-mail address. */
        DUPLICATE,
        /** Keycloak rejected the person's details (for example a malformed name). */
        REJECTED,
        /** Keycloak could not be reached or failed. */
        UNAVAILABLE
    }

    private final Reason reason;

    public IdentityException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

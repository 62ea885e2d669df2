package io.tollbooth.portal.admin;

import java.net.URI;

/** Every error the admin API answers with, each mapped once to an HTTP status and a problem type. */
public enum AdminError {
    /** The request body or a parameter failed validation. */
    INVALID_REQUEST(400, "invalid-request", "Invalid request"),
    /** No bearer token, or one that is not valid (wrong issuer or audience, expired, forged). */
    UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
    /** A valid token whose roles do not allow this route. */
    FORBIDDEN(403, "forbidden", "Forbidden"),
    /** The resource in the path, or a record the request refers to, does not exist. */
    NOT_FOUND(404, "not-found", "Not found"),
    /** The request would duplicate a unique name or contradict existing data. */
    CONFLICT(409, "conflict", "Conflict"),
    /** Billing declined to close a period, for example one that has not ended. */
    BILLING_REFUSED(409, "billing-refused", "Billing refused"),
    /**
     * A price far out of line with the one before it or with LiteLLM's list price (metering's
     * {@code PriceChangeCheck}); sent again with {@code "confirm": true} it is saved as it is.
     */
    UNCONFIRMED_PRICE_CHANGE(409, "unconfirmed-price-change", "Price out of line"),
    /** The request needs Stripe, which this installation has not enabled. */
    PAYMENTS_OFF(409, "payments-off", "Payments are off"),
    /** Keycloak, which keeps people's accounts, could not be reached or failed. */
    IDENTITY_UNAVAILABLE(502, "identity-unavailable", "Identity provider unavailable"),
    /** A fault on our side; details are in the log, never in the response. */
    INTERNAL(500, "internal", "Internal error");

    private static final String TYPE_PREFIX = "urn:tollbooth:problem:";

    private final int status;
    private final URI type;
    private final String title;

    AdminError(int status, String code, String title) {
        this.status = status;
        this.type = URI.create(TYPE_PREFIX + code);
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** The RFC 9457 problem type, for example {@code urn:tollbooth:problem:not-found}. */
    public URI type() {
        return type;
    }

    public String title() {
        return title;
    }
}

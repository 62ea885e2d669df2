package io.tollbooth.billing.invoice;

/** Why billing refused a request; the admin API maps each code once to a problem type and HTTP status. */
public enum BillingError {

    /** No client has the given id. Suggested status: 404. */
    CLIENT_NOT_FOUND,
    /** No operator has the given id. Suggested status: 404. */
    OPERATOR_NOT_FOUND,
    /**
     * The period has not ended yet in the client's time zone and early closing was not asked for, or it has not
     * even begun. Suggested status: 409.
     */
    PERIOD_NOT_ENDED,
    /** The period holds usage that could not be priced; price the model and re-rate before closing. 409. */
    UNPRICED_USAGE,
    /** Rated usage in the period is in a currency other than the client's. 409. */
    CURRENCY_MISMATCH
}

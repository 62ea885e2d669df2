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
    /**
     * The period holds usage that could not be priced (price the model and re-rate before closing), or usage in a
     * unit that invoices cannot show yet (requests, audio seconds). 409.
     */
    UNPRICED_USAGE,
    /** Rated usage in the period is in a currency other than the client's. 409. */
    CURRENCY_MISMATCH,
    /** No invoice has the given id. Suggested status: 404. */
    INVOICE_NOT_FOUND,
    /**
     * The invoice's status does not allow the change asked for: only a draft is regenerated or finalized, only
     * an issued invoice is voided or credited. Suggested status: 409.
     */
    INVALID_TRANSITION,
    /** A credit note would credit more than what is left of its invoice. Suggested status: 409. */
    CREDIT_EXCEEDS_INVOICE,
    /** An amount is not positive or has more decimals than its currency. Suggested status: 400. */
    INVALID_AMOUNT,
    /** A billing account value is out of range; the message names it. Suggested status: 400. */
    INVALID_BILLING_TERMS,
    /** The billing day of a client that already has invoices cannot change. Suggested status: 409. */
    BILLING_DAY_LOCKED
}

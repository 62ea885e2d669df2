package io.tollbooth.billing.invoice;

/** Where an invoice is in its life. Issue 5 adds sent, paid, payment failed and void. */
public enum InvoiceStatus {

    /** Being prepared: no number yet, may be regenerated. */
    DRAFT,
    /** Numbered and immutable. */
    FINALIZED
}

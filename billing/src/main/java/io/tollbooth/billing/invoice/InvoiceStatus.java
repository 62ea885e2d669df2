package io.tollbooth.billing.invoice;

/**
 * Where an invoice is in its life: DRAFT → FINALIZED → SENT → PAID, PAYMENT_FAILED or REFUNDED; an issued invoice
 * that should never have been may become VOID. Payment collection sets SENT, PAID, PAYMENT_FAILED and REFUNDED.
 */
public enum InvoiceStatus {

    /** Being prepared: no number yet, may be regenerated. */
    DRAFT,
    /** Numbered and immutable. */
    FINALIZED,
    /** Delivered to the client or pushed to the payment provider. */
    SENT,
    /** Paid in full. */
    PAID,
    /** A payment attempt failed; the invoice is still due. */
    PAYMENT_FAILED,
    /** Paid and then refunded. */
    REFUNDED,
    /** Cancelled after it was issued; keeps its number, owes nothing, gives any credit it used back. */
    VOID;

    /** Whether the invoice has been issued with a number and may be voided or corrected by a credit note. */
    public boolean issued() {
        return this != DRAFT && this != VOID;
    }

    /** Whether the invoice may still be voided: issued and not paid (a paid invoice is refunded instead). */
    public boolean voidable() {
        return this == FINALIZED || this == SENT || this == PAYMENT_FAILED;
    }
}

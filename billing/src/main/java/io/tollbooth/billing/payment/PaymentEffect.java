package io.tollbooth.billing.payment;

/** What a payment reported by Stripe (a webhook event, or a PaymentIntent's answer) did to an invoice. */
public enum PaymentEffect {

    /** The invoice was marked paid: the amount and currency equal its amount due. */
    MARKED_PAID,
    /** The invoice was already paid; nothing changed. */
    ALREADY_PAID,
    /** The amount or currency differs from the amount due; the invoice is unchanged and the operator is told. */
    AMOUNT_MISMATCH,
    /** A payment arrived for an invoice that is void or refunded; nothing changed and the operator is told. */
    UNEXPECTED_PAYMENT,
    /** The invoice was marked payment failed (or its failure reason updated). */
    MARKED_PAYMENT_FAILED,
    /** A failure reported after the invoice was paid, refunded or voided (events arrive out of order); ignored. */
    STALE_FAILURE,
    /** The invoice was marked refunded: everything paid was refunded. */
    MARKED_REFUNDED,
    /** Part of the payment was refunded; the amount is recorded and the invoice stays paid. */
    PARTIALLY_REFUNDED,
    /** The PaymentIntent that paid a Stripe invoice was recorded, so its refunds can be matched. */
    LINKED_PAYMENT_INTENT,
    /** The Stripe object belongs to no invoice that was pushed from here; nothing changed. */
    UNKNOWN_INVOICE,
    /** An event type that changes nothing here; acknowledged. */
    IGNORED_EVENT_TYPE,
    /** The event's object could not be read as the type its event type promises; acknowledged, nothing changed. */
    UNREADABLE_OBJECT
}

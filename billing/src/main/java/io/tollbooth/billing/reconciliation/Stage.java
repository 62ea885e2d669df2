package io.tollbooth.billing.reconciliation;

/** Where along the way from usage to payment a reconciliation found a difference. */
public enum Stage {
    /** Usage events of the period against the rated usage billed: events left unpriced or on no invoice. */
    EVENTS_TO_RATED,
    /** Rated usage against the invoice's lines: each line is its rows' full-precision sum rounded once. */
    RATED_TO_LINES,
    /** The lines against subtotal, tax per rate, total, credit and amount due. */
    LINES_TO_TOTALS,
    /** The amount due against what Stripe was asked for or reported paid. */
    TOTALS_TO_STRIPE
}

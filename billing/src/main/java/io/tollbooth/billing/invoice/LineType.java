package io.tollbooth.billing.invoice;

/** What an invoice line bills. */
public enum LineType {

    /** The period's rated usage of one model, unit and unit price. */
    USAGE,
    /**
     * Rated usage of an earlier, already invoiced period that arrived after that invoice was made, carried into
     * this invoice and named by the day it happened.
     */
    LATE_USAGE,
    /** The difference between the period's usage and the client's minimum commitment. */
    MINIMUM_COMMITMENT,
    /**
     * What a re-rating found an earlier, issued invoice charged too little, carried into this invoice and named by
     * that invoice's number.
     */
    RERATING
}

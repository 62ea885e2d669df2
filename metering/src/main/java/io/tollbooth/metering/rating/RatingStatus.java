package io.tollbooth.metering.rating;

/** The outcome of rating one event, stored as {@code usage_event.rating_status}. */
public enum RatingStatus {
    /** Every token kind used had a price; the rated amounts are in {@code rated_usage}. */
    RATED,
    /** The model or a price was missing; the event waits for a price and is never counted as zero. */
    UNPRICED,
    /** The gateway rejected the event's counts; it is kept for inspection and never rated. */
    REJECTED
}

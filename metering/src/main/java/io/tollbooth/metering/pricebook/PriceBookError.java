package io.tollbooth.metering.pricebook;

/** Why a change to a price book was refused; the admin API maps each to one HTTP status. */
public enum PriceBookError {
    /** The operator does not exist. */
    OPERATOR_NOT_FOUND,
    /** The price plan does not exist. */
    PLAN_NOT_FOUND,
    /** The client does not exist. */
    CLIENT_NOT_FOUND,
    /** A model named in the change is not in the operator's catalogue. */
    MODEL_NOT_FOUND,
    /** The change contradicts itself or the book, for example two prices for the same key in one request. */
    INVALID,
    /** A price is far out of line with the one before it and was not confirmed. */
    UNCONFIRMED_PRICE_CHANGE
}

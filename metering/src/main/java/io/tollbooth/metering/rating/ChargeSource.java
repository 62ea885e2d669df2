package io.tollbooth.metering.rating;

import java.util.Locale;

/**
 * Where a client's charge for a model comes from. The first that has a price for the model at the event's time
 * applies: the client's own prices, then its plan, then its markup over the operator's cost.
 */
public enum ChargeSource {

    /** A price agreed with the client alone ({@code client_price}). */
    CLIENT,
    /** The client's named price plan, shared with other clients ({@code price}). */
    PLAN,
    /** The operator's cost times the client's markup ({@code client_markup} over {@code cost_price}). */
    MARKUP;

    /** The name in {@code rated_usage.charge_source}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChargeSource ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

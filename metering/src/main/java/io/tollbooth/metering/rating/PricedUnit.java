package io.tollbooth.metering.rating;

import java.util.Objects;

/**
 * One unit of a rated event with the prices found for it, before amounts are worked out.
 *
 * @param unit what is charged
 * @param quantity how many units the event used, above zero
 * @param charge the client's price with its monthly bands; null when the charge is a markup over {@code cost}
 * @param cost the operator's cost price; null when the operator has none (then only the margin is unknown)
 */
public record PricedUnit(UsageUnit unit, long quantity, Schedule charge, Price cost) {

    public PricedUnit {
        Objects.requireNonNull(unit, "unit");
        if (charge == null && cost == null) {
            throw new IllegalArgumentException("a unit charged by markup needs its cost price");
        }
    }
}

package io.tollbooth.metering.pricebook;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A proposed price far out of line with the price before it.
 *
 * @param model the model's name
 * @param unit the unit's code, for example {@code output}
 * @param proposed the proposed unit price
 * @param previous the unit price in force before the proposed one
 * @param previousFrom when the previous price took effect
 * @param detail the comparison in words, for people
 */
public record OutOfLinePrice(String model, String unit, BigDecimal proposed, BigDecimal previous,
        Instant previousFrom, String detail) {
}

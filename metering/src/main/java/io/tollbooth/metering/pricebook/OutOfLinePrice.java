package io.tollbooth.metering.pricebook;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A proposed price far out of line with the price before it, or with LiteLLM's list price of the model.
 *
 * @param model the model's name
 * @param unit the unit's code, for example {@code output}
 * @param proposed the proposed unit price
 * @param basis what it was compared with: {@code previous} (the same book's price before it) or {@code litellm}
 *     (the list price the operator imported into its cost book)
 * @param previous the unit price it was compared with
 * @param previousFrom when that price took effect
 * @param detail the comparison in words, for people
 */
public record OutOfLinePrice(String model, String unit, BigDecimal proposed, String basis, BigDecimal previous,
        Instant previousFrom, String detail) {

    /** Compared with the same book's price before it. */
    public static final String PREVIOUS = "previous";

    /** Compared with LiteLLM's list price, imported into the operator's cost book. */
    public static final String LITELLM = "litellm";
}

package io.tollbooth.metering.pricebook;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Spots a price typed in the wrong unit before it is billed: a new price at least {@value #FACTOR} times the one
 * before it or LiteLLM's list price of the model, or at most 1/{@value #FACTOR} of either (a per-token price typed
 * into a per-1M field is 1,000,000 times too high), is refused unless the operator confirms it.
 */
public final class PriceChangeCheck {

    /** How far a price may move from the previous one, up or down, before it needs confirming. */
    public static final int FACTOR = 100;

    private static final BigDecimal LIMIT = BigDecimal.valueOf(FACTOR);

    private PriceChangeCheck() {
    }

    /**
     * What is wrong with moving from {@code previous} to {@code proposed}, or empty when the move is in line. A
     * previous price of 0 gives no scale to compare with, so any price may follow it.
     */
    public static Optional<String> outOfLine(BigDecimal previous, BigDecimal proposed) {
        return outOfLine(previous, proposed, "the previous");
    }

    /**
     * As {@link #outOfLine(BigDecimal, BigDecimal)}, against any price that sets the scale.
     *
     * @param name the compared price in words, as in {@code "LiteLLM's list price"}
     */
    public static Optional<String> outOfLine(BigDecimal compared, BigDecimal proposed, String name) {
        if (compared.signum() == 0) {
            return Optional.empty();
        }
        if (proposed.compareTo(compared.multiply(LIMIT)) >= 0) {
            return Optional.of(plain(proposed) + " is " + plain(ratio(proposed, compared)) + " times " + name + " "
                    + plain(compared) + "; was a per-token price typed into a per-1M field?");
        }
        if (proposed.multiply(LIMIT).compareTo(compared) <= 0) {
            String share = proposed.signum() == 0 ? "0" : "1/" + plain(ratio(compared, proposed));
            return Optional.of(plain(proposed) + " is " + share + " of " + name + " " + plain(compared));
        }
        return Optional.empty();
    }

    /** The ratio for people to read, to six significant digits. */
    private static BigDecimal ratio(BigDecimal larger, BigDecimal smaller) {
        return larger.divide(smaller, new MathContext(6, RoundingMode.HALF_UP));
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}

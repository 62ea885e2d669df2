package io.tollbooth.metering.pricebook;

import io.tollbooth.metering.rating.TierMode;
import io.tollbooth.metering.rating.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A price to add to a book. A price for an instant that already has one (same model, unit, tier and band) corrects
 * it; otherwise it takes over from the price before it at {@code effectiveFrom}.
 *
 * @param model name of a model in the operator's catalogue
 * @param unit what it prices
 * @param unitPrice per 1,000,000 tokens, per request or per second, exact
 * @param effectiveFrom the instant it applies from
 * @param longContextOver 0 for the base price; N &gt; 0 prices whole requests whose prompt is above N tokens
 * @param monthlyFrom 0, or the start of a monthly band (client and plan prices only)
 * @param tierMode how the bands price a month (client and plan prices only)
 */
public record NewPrice(String model, UsageUnit unit, BigDecimal unitPrice, Instant effectiveFrom,
        long longContextOver, long monthlyFrom, TierMode tierMode) {

    public NewPrice {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(tierMode, "tierMode");
        if (unitPrice.signum() < 0 || longContextOver < 0 || monthlyFrom < 0) {
            throw new IllegalArgumentException("prices, tiers and bands are never negative");
        }
    }

    /** A base price without tiers or bands. */
    public static NewPrice flat(String model, UsageUnit unit, BigDecimal unitPrice, Instant effectiveFrom) {
        return new NewPrice(model, unit, unitPrice, effectiveFrom, 0, 0, TierMode.GRADUATED);
    }

    /** What the price is a price of, without its instant: the key of its history. */
    String key() {
        return model + " " + unit.code() + (longContextOver > 0 ? " over " + longContextOver + " prompt tokens" : "")
                + (monthlyFrom > 0 ? " from unit " + monthlyFrom + " of the month" : "");
    }
}

package io.tollbooth.metering.rating;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The charge and cost of one unit of one event (of one monthly band, when the event spans two), at full
 * precision, with the price rows that produced them. Stored as one {@code rated_usage} row.
 *
 * @param unit what is charged
 * @param quantity units, above zero
 * @param bandFrom the monthly band's start, 0 when the price has no bands
 * @param source where the charge comes from
 * @param chargePrice the plan or client price row charged; null for a markup
 * @param markup the markup charged; null unless {@code source} is {@link ChargeSource#MARKUP}
 * @param unitPrice the unit price charged (for a markup: the cost's unit price times the markup), exact
 * @param amount what the client is charged: {@code quantity × unitPrice} per 1M or per unit, exact, never rounded
 * @param currency ISO 4217 code of {@code amount}, the client's currency
 * @param cost the operator's cost price row; null when it has none for the model
 * @param costAmount {@code quantity × cost.unitPrice}, exact, in {@code cost.currency()}; null with {@code cost}
 */
public record RatedLine(UsageUnit unit, long quantity, long bandFrom, ChargeSource source, Price chargePrice,
        Markup markup, BigDecimal unitPrice, BigDecimal amount, String currency, Price cost, BigDecimal costAmount) {

    public RatedLine {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }
}

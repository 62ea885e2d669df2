package io.tollbooth.metering.rating;

import io.tollbooth.usage.event.TokenKind;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The amount for one token kind of one event, at full precision, with the price that produced it.
 *
 * @param kind the token kind
 * @param quantity tokens of that kind, always greater than zero
 * @param price the price valid at the event's time
 * @param amount {@code quantity × price.perMillion / 1,000,000}, exact and never rounded
 */
public record RatedLine(TokenKind kind, long quantity, Price price, BigDecimal amount) {

    public RatedLine {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(amount, "amount");
    }

    /** Rates {@code quantity} tokens at {@code price}. */
    public static RatedLine of(TokenKind kind, long quantity, Price price) {
        // A price per million divided by 10^6 is a decimal shift, so the amount is exact at any scale.
        BigDecimal amount = BigDecimal.valueOf(quantity).multiply(price.perMillion()).movePointLeft(6);
        return new RatedLine(kind, quantity, price, amount);
    }
}

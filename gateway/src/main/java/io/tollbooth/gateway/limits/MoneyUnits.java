package io.tollbooth.gateway.limits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Amounts of one currency as whole counter units, so that budget counters add up exactly in Redis and in memory.
 *
 * <p>A unit is 10<sup>-(d+7)</sup> of the currency, where d is its minor-unit digits: a nano-dollar for USD,
 * 10<sup>-7</sup> yen for JPY. That keeps seven decimals below the minor unit, as rated amounts do, while every
 * counter stays below 2<sup>53</sup> units (Redis scripts compare in double precision): up to about 9 million
 * dollars or 900 million yen per client and month.
 */
final class MoneyUnits {

    /** The largest count a Redis script compares exactly. */
    static final long MAX_UNITS = 1L << 53;

    private static final int DIGITS_BELOW_MINOR_UNIT = 7;

    private final int scale;

    private MoneyUnits(int scale) {
        this.scale = scale;
    }

    static MoneyUnits of(Currency currency) {
        int minorDigits = Math.max(0, currency.getDefaultFractionDigits());
        return new MoneyUnits(minorDigits + DIGITS_BELOW_MINOR_UNIT);
    }

    /** {@code amount} in units, rounded up: reservations and limits never come out smaller than the amount. */
    long ceiling(BigDecimal amount) {
        return amount.movePointRight(scale).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** {@code amount} in units, rounded half up: what a counter adds for an amount already spent. */
    long nearest(BigDecimal amount) {
        return amount.movePointRight(scale).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** {@code units} as an amount of the currency. */
    BigDecimal amount(long units) {
        return BigDecimal.valueOf(units, scale).stripTrailingZeros();
    }
}

package io.tollbooth.billing.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * The one place where an amount is rounded to its currency's minor unit.
 *
 * <p>Rated amounts are kept at full precision; billing rounds once per invoice line with this helper, and every
 * later amount (tax once per rate, credits, Stripe's minor-unit integers) must come through here too, so a number
 * can never be rounded twice or two different ways. {@code docs/billing.md} states the policy. The minor unit is
 * the currency's default fraction digits from {@link Currency}: JPY 0, USD 2, KWD 3.
 */
public final class CurrencyRounding {

    /** Halves round away from zero: 0.375 USD becomes 0.38, 10.5 JPY becomes 11. */
    public static final RoundingMode MODE = RoundingMode.HALF_UP;

    private CurrencyRounding() {
    }

    /**
     * Rounds an amount to the currency's minor unit with {@link #MODE}.
     *
     * @param amount an amount in {@code currency}, at any precision
     * @param currency the currency the amount is in
     * @return the amount with exactly {@link #minorUnitDigits(Currency)} decimals
     * @throws IllegalArgumentException if the currency has no minor unit (gold, SDR and similar)
     */
    public static BigDecimal toMinorUnit(BigDecimal amount, Currency currency) {
        return amount.setScale(minorUnitDigits(currency), MODE);
    }

    /**
     * A percentage of an amount, rounded once to the currency's minor unit with {@link #MODE}: the tax of one rate
     * on a taxable subtotal. 19 % of 10.05 USD is 1.9095, so 1.91.
     *
     * @param amount the amount the percentage applies to, in {@code currency}
     * @param percent the rate in percent, for example {@code 19} or {@code 8.5}
     * @param currency the currency of the amount
     */
    public static BigDecimal percentOf(BigDecimal amount, BigDecimal percent, Currency currency) {
        return toMinorUnit(amount.multiply(percent).movePointLeft(2), currency);
    }

    /**
     * The number of decimals of the currency's minor unit.
     *
     * @throws IllegalArgumentException if the currency has no minor unit (gold, SDR and similar), which cannot be
     *     invoiced
     */
    public static int minorUnitDigits(Currency currency) {
        int digits = currency.getDefaultFractionDigits();
        if (digits < 0) {
            throw new IllegalArgumentException("currency " + currency.getCurrencyCode()
                    + " has no minor unit and cannot be invoiced");
        }
        return digits;
    }
}

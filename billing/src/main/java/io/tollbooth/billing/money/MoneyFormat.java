package io.tollbooth.billing.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/**
 * Writes amounts, prices and token counts for people: plain digits, a dot, and always the currency's decimals
 * ("27.00 USD", never "27.0"; "1500 JPY"; "1.235 KWD").
 *
 * <p>Formatting never rounds: an amount with more decimals than its currency allows is a bug upstream, so it is
 * refused instead of silently rounded a second way. Round with {@link CurrencyRounding} first.
 */
public final class MoneyFormat {

    private MoneyFormat() {
    }

    /**
     * An invoice amount with exactly the currency's decimals, without the currency code: "0.38", "1500".
     *
     * @throws IllegalArgumentException if {@code amount} has more decimals than the currency's minor unit
     */
    public static String amount(BigDecimal amount, Currency currency) {
        int digits = CurrencyRounding.minorUnitDigits(currency);
        try {
            return amount.setScale(digits, RoundingMode.UNNECESSARY).toPlainString();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount " + amount.toPlainString() + " has more decimals than "
                    + currency.getCurrencyCode() + " allows; round it with CurrencyRounding first", e);
        }
    }

    /**
     * An invoice amount as a reader in {@code locale} writes it, with the currency's symbol and decimals: "$0.38"
     * (en-US, USD), "1.234,50 €" (de-DE, EUR), "￥1,500" (ja-JP, JPY). Like {@link #amount(BigDecimal, Currency)} it
     * never rounds.
     *
     * @throws IllegalArgumentException if {@code amount} has more decimals than the currency's minor unit
     */
    public static String localized(BigDecimal amount, Currency currency, Locale locale) {
        BigDecimal exact = new BigDecimal(amount(amount, currency));
        DecimalFormat format = (DecimalFormat) NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(currency);
        int digits = CurrencyRounding.minorUnitDigits(currency);
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        format.setRoundingMode(RoundingMode.UNNECESSARY);
        return format.format(exact);
    }

    /** An invoice amount followed by its currency code: "0.38 USD". See {@link #amount(BigDecimal, Currency)}. */
    public static String amountWithCurrency(BigDecimal amount, Currency currency) {
        return amount(amount, currency) + " " + currency.getCurrencyCode();
    }

    /**
     * A unit price (per 1,000,000 tokens, per request or per second) with at least the currency's decimals and as
     * many more as the price has: "2.50", "0.275", "150". Prices are never rounded.
     */
    public static String unitPrice(BigDecimal price, Currency currency) {
        int digits = CurrencyRounding.minorUnitDigits(currency);
        BigDecimal stripped = price.stripTrailingZeros();
        return stripped.setScale(Math.max(digits, stripped.scale())).toPlainString();
    }

    /** A full-precision amount for machines: plain digits, no exponent, no trailing zeros ("0.0000375"). */
    public static String fullPrecision(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }

    /** A count of tokens, requests or seconds with thousands separators: "150,000". */
    public static String quantity(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }
}

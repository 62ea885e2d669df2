package io.tollbooth.billing.payment;

import io.tollbooth.billing.money.CurrencyRounding;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;

/**
 * The one place where an invoice amount becomes Stripe's integer amount in the currency's minor unit, and back.
 *
 * <p>Stripe's minor unit is not always {@link Currency}'s: Stripe counts the zero-decimal currencies (JPY, KRW and
 * 14 more) in whole units, never multiplied by 100; the three-decimal ones (BHD, JOD, KWD, OMR, TND) in thousandths
 * whose last digit must be 0; and every other currency in hundredths, ISK included although it is whole krónur
 * only (so its amounts must be multiples of 100). Amounts arrive here already rounded once by billing; this class
 * never rounds again. An amount Stripe cannot take exactly is refused with the reason, never charged differently.
 */
final class StripeAmounts {

    /** Counted in whole units by Stripe: ¥1,500 is 1500, not 150000. */
    private static final Set<String> ZERO_DECIMAL = Set.of("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
            "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF");

    /** Counted in thousandths by Stripe, whose payment partners need the last digit to be 0. */
    private static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");

    /** Counted in hundredths by Stripe but chargeable in whole units only. */
    private static final Set<String> WHOLE_UNITS_IN_HUNDREDTHS = Set.of("ISK");

    private StripeAmounts() {
    }

    /**
     * An invoice amount as Stripe's integer {@code amount}: 1500 JPY is 1500, 15.00 USD is 1500, 20000 KRW is
     * 20000, 1.230 KWD is 1230.
     *
     * @param amount an amount rounded to the currency's minor unit by billing; negative for a credit
     * @param currency its currency
     * @throws PaymentSyncException {@link PaymentSyncError#AMOUNT_NOT_COLLECTABLE} if the amount is not rounded to
     *     the currency's minor unit, has more decimals than Stripe counts, or breaks Stripe's rule for the currency
     */
    static long toStripe(BigDecimal amount, Currency currency) {
        if (CurrencyRounding.toMinorUnit(amount, currency).compareTo(amount) != 0) {
            throw notCollectable(amount, currency, "is not rounded to the currency's minor unit");
        }
        int exponent = exponent(currency);
        long minor;
        try {
            minor = amount.movePointRight(exponent).longValueExact();
        } catch (ArithmeticException e) {
            throw notCollectable(amount, currency, "has more decimals than Stripe counts in " + code(currency)
                    + " (" + exponent + ")");
        }
        long step = step(currency);
        if (minor % step != 0) {
            throw notCollectable(amount, currency, "is not a multiple of " + step + " minor units, which Stripe"
                    + " requires for " + code(currency));
        }
        return minor;
    }

    /**
     * Stripe's integer amount as a decimal in the currency, with the invoice's decimals where they suffice: 1500
     * JPY is 1500, 1500 USD is 15.00, 500 ISK is 5.
     */
    static BigDecimal fromStripe(long minor, Currency currency) {
        BigDecimal amount = BigDecimal.valueOf(minor, exponent(currency));
        try {
            return amount.setScale(CurrencyRounding.minorUnitDigits(currency), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            return amount;
        }
    }

    /** The currency as Stripe writes it: lower-case ISO 4217 ("jpy"). */
    static String code(Currency currency) {
        return currency.getCurrencyCode().toLowerCase(Locale.ROOT);
    }

    /** The currency of a Stripe object's {@code currency} field ("jpy"). */
    static Currency currency(String stripeCode) {
        return Currency.getInstance(stripeCode.toUpperCase(Locale.ROOT));
    }

    private static int exponent(Currency currency) {
        String code = currency.getCurrencyCode();
        if (ZERO_DECIMAL.contains(code)) {
            return 0;
        }
        return THREE_DECIMAL.contains(code) ? 3 : 2;
    }

    private static long step(Currency currency) {
        String code = currency.getCurrencyCode();
        if (THREE_DECIMAL.contains(code)) {
            return 10;
        }
        return WHOLE_UNITS_IN_HUNDREDTHS.contains(code) ? 100 : 1;
    }

    private static PaymentSyncException notCollectable(BigDecimal amount, Currency currency, String why) {
        return new PaymentSyncException(PaymentSyncError.AMOUNT_NOT_COLLECTABLE, "amount " + amount.toPlainString()
                + " " + currency.getCurrencyCode() + " cannot be charged through Stripe: it " + why);
    }
}

package io.tollbooth.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StripeAmountsTest {

    private static final Currency JPY = Currency.getInstance("JPY");
    private static final Currency USD = Currency.getInstance("USD");
    private static final Currency KRW = Currency.getInstance("KRW");
    private static final Currency KWD = Currency.getInstance("KWD");

    @Test
    void sendsYenAsWholeYenNotMultipliedBy100() {
        // Case 21: ¥1,500 is amount 1500 "jpy"; multiplying by 100 would charge ¥150,000.
        assertThat(StripeAmounts.toStripe(new BigDecimal("1500"), JPY)).isEqualTo(1500L);
        assertThat(StripeAmounts.code(JPY)).isEqualTo("jpy");
    }

    @Test
    void sendsDollarsAsCents() {
        // Case 21 control: $15.00 is amount 1500 "usd".
        assertThat(StripeAmounts.toStripe(new BigDecimal("15.00"), USD)).isEqualTo(1500L);
        assertThat(StripeAmounts.code(USD)).isEqualTo("usd");
    }

    @Test
    void sendsWonAsWholeWon() {
        // Case 21 control: ₩20,000 is amount 20000.
        assertThat(StripeAmounts.toStripe(new BigDecimal("20000"), KRW)).isEqualTo(20000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
        "XAF", "XOF", "XPF"})
    void neverMultipliesAZeroDecimalCurrency(String code) {
        assertThat(StripeAmounts.toStripe(new BigDecimal("1500"), Currency.getInstance(code))).isEqualTo(1500L);
    }

    @Test
    void sendsThreeDecimalCurrenciesInThousandthsEndingInZero() {
        assertThat(StripeAmounts.toStripe(new BigDecimal("1.230"), KWD)).isEqualTo(1230L);
        assertThatThrownBy(() -> StripeAmounts.toStripe(new BigDecimal("1.235"), KWD))
                .isInstanceOf(PaymentSyncException.class)
                .hasMessage("amount 1.235 KWD cannot be charged through Stripe: it is not a multiple of 10 minor"
                        + " units, which Stripe requires for kwd")
                .extracting(e -> ((PaymentSyncException) e).error())
                .isEqualTo(PaymentSyncError.AMOUNT_NOT_COLLECTABLE);
    }

    @Test
    void sendsKronurInHundredthsOfWholeKronur() {
        // ISK has no minor unit in ISO 4217, but Stripe counts it in hundredths: 5 ISK is 500.
        assertThat(StripeAmounts.toStripe(new BigDecimal("5"), Currency.getInstance("ISK"))).isEqualTo(500L);
    }

    @Test
    void refusesAnAmountWithDecimalsThatStripeCountsInWholeUnits() {
        // MGA has two decimals in ISO 4217 but none at Stripe: 100.50 cannot be charged, 100.00 can.
        Currency mga = Currency.getInstance("MGA");
        assertThat(StripeAmounts.toStripe(new BigDecimal("100.00"), mga)).isEqualTo(100L);
        assertThatThrownBy(() -> StripeAmounts.toStripe(new BigDecimal("100.50"), mga))
                .hasMessage("amount 100.50 MGA cannot be charged through Stripe: it has more decimals than Stripe"
                        + " counts in mga (0)");
    }

    @Test
    void refusesAnAmountThatBillingDidNotRound() {
        assertThatThrownBy(() -> StripeAmounts.toStripe(new BigDecimal("15.005"), USD))
                .hasMessage("amount 15.005 USD cannot be charged through Stripe: it is not rounded to the currency's"
                        + " minor unit");
    }

    @Test
    void sendsACreditAsANegativeAmount() {
        assertThat(StripeAmounts.toStripe(new BigDecimal("-10.00"), USD)).isEqualTo(-1000L);
    }

    @Test
    void readsStripeAmountsBackWithTheInvoicesDecimals() {
        // Case 21: amount_received 1500 on a yen invoice is ¥1,500, not ¥15.
        assertThat(StripeAmounts.fromStripe(1500, JPY)).isEqualTo(new BigDecimal("1500"));
        assertThat(StripeAmounts.fromStripe(1500, USD)).isEqualTo(new BigDecimal("15.00"));
        assertThat(StripeAmounts.fromStripe(20000, KRW)).isEqualTo(new BigDecimal("20000"));
        assertThat(StripeAmounts.fromStripe(5120, KWD)).isEqualTo(new BigDecimal("5.120"));
        assertThat(StripeAmounts.fromStripe(500, Currency.getInstance("ISK"))).isEqualTo(new BigDecimal("5"));
    }

    @Test
    void readsStripesLowerCaseCurrencyCodes() {
        assertThat(StripeAmounts.currency("jpy")).isEqualTo(JPY);
    }
}

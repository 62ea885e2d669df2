package io.tollbooth.billing.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;

class MoneyFormatTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final Currency JPY = Currency.getInstance("JPY");
    private static final Currency KWD = Currency.getInstance("KWD");

    @Test
    void writesAmountsWithTheCurrencysDecimals() {
        assertThat(MoneyFormat.amount(new BigDecimal("27.0"), USD)).isEqualTo("27.00");
        assertThat(MoneyFormat.amount(new BigDecimal("27"), USD)).isEqualTo("27.00");
        assertThat(MoneyFormat.amount(new BigDecimal("1500"), JPY)).isEqualTo("1500");
        assertThat(MoneyFormat.amount(new BigDecimal("1.2"), KWD)).isEqualTo("1.200");
        assertThat(MoneyFormat.amount(new BigDecimal("1E+3"), USD)).isEqualTo("1000.00");
        assertThat(MoneyFormat.amountWithCurrency(new BigDecimal("0.38"), USD)).isEqualTo("0.38 USD");
    }

    @Test
    void refusesToRoundAnUnroundedAmount() {
        assertThatThrownBy(() -> MoneyFormat.amount(new BigDecimal("0.375"), USD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("round it with CurrencyRounding first");
    }

    @Test
    void writesUnitPricesWithAtLeastTheCurrencysDecimalsAndNeverRoundsThem() {
        assertThat(MoneyFormat.unitPrice(new BigDecimal("2.5"), USD)).isEqualTo("2.50");
        assertThat(MoneyFormat.unitPrice(new BigDecimal("0.2750"), USD)).isEqualTo("0.275");
        assertThat(MoneyFormat.unitPrice(new BigDecimal("150.00"), JPY)).isEqualTo("150");
        assertThat(MoneyFormat.unitPrice(new BigDecimal("1E+2"), USD)).isEqualTo("100.00");
    }

    @Test
    void writesFullPrecisionAmountsWithoutExponentOrTrailingZeros() {
        assertThat(MoneyFormat.fullPrecision(new BigDecimal("0.0000375000000000"))).isEqualTo("0.0000375");
        assertThat(MoneyFormat.fullPrecision(new BigDecimal("100.000"))).isEqualTo("100");
        assertThat(MoneyFormat.fullPrecision(new BigDecimal("0.000"))).isEqualTo("0");
    }

    @Test
    void writesTokenCountsWithThousandsSeparators() {
        assertThat(MoneyFormat.quantity(150_000)).isEqualTo("150,000");
        assertThat(MoneyFormat.quantity(7)).isEqualTo("7");
    }
}

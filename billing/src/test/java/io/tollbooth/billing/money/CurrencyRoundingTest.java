package io.tollbooth.billing.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;

class CurrencyRoundingTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final Currency JPY = Currency.getInstance("JPY");
    private static final Currency KWD = Currency.getInstance("KWD");

    @Test
    void roundsDollarsToCentsHalfUp() {
        assertThat(CurrencyRounding.toMinorUnit(new BigDecimal("0.375"), USD)).isEqualTo(new BigDecimal("0.38"));
        assertThat(CurrencyRounding.toMinorUnit(new BigDecimal("0.0049999"), USD)).isEqualTo(new BigDecimal("0.00"));
        assertThat(CurrencyRounding.toMinorUnit(new BigDecimal("27"), USD)).isEqualTo(new BigDecimal("27.00"));
    }

    @Test
    void roundsYenToWholeYen() {
        assertThat(CurrencyRounding.toMinorUnit(new BigDecimal("10.5"), JPY)).isEqualTo(new BigDecimal("11"));
        assertThat(CurrencyRounding.toMinorUnit(new BigDecimal("1499.49"), JPY)).isEqualTo(new BigDecimal("1499"));
    }

    @Test
    void roundsDinarsToFils() {
        assertThat(CurrencyRounding.toMinorUnit(new BigDecimal("0.0025"), KWD)).isEqualTo(new BigDecimal("0.003"));
        assertThat(CurrencyRounding.toMinorUnit(new BigDecimal("1.2344"), KWD)).isEqualTo(new BigDecimal("1.234"));
    }

    @Test
    void refusesCurrenciesWithoutAMinorUnit() {
        assertThatThrownBy(() -> CurrencyRounding.toMinorUnit(BigDecimal.ONE, Currency.getInstance("XAU")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("currency XAU has no minor unit and cannot be invoiced");
    }
}

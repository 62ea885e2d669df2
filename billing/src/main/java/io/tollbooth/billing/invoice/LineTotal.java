package io.tollbooth.billing.invoice;

import io.tollbooth.usage.event.TokenKind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;

/**
 * The unrounded total of one future invoice line: rated usage of one model, token kind and unit price, and for
 * late usage of one day.
 *
 * @param model the model's name
 * @param kind the token kind
 * @param pricePerMillion the unit price per 1,000,000 tokens the usage was rated at
 * @param currency the currency of the rated amounts
 * @param quantity the sum of the tokens
 * @param fullPrecisionAmount the sum of the rated amounts, not rounded
 * @param usageDate for late usage, the day in the client's zone it happened on; null for the period's own usage
 */
public record LineTotal(
        String model,
        TokenKind kind,
        BigDecimal pricePerMillion,
        Currency currency,
        long quantity,
        BigDecimal fullPrecisionAmount,
        LocalDate usageDate) {
}

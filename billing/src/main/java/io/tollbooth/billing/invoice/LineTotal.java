package io.tollbooth.billing.invoice;

import io.tollbooth.usage.event.TokenKind;
import java.math.BigDecimal;
import java.util.Currency;

/**
 * The unrounded total of one future invoice line: rated usage of one model, token kind and unit price.
 *
 * @param model the model's name
 * @param kind the token kind
 * @param pricePerMillion the unit price per 1,000,000 tokens the usage was rated at
 * @param currency the currency of the rated amounts
 * @param quantity the sum of the tokens
 * @param fullPrecisionAmount the sum of the rated amounts, not rounded
 */
public record LineTotal(
        String model,
        TokenKind kind,
        BigDecimal pricePerMillion,
        Currency currency,
        long quantity,
        BigDecimal fullPrecisionAmount) {
}

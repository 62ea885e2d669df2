package io.tollbooth.billing.invoice;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;

/**
 * The unrounded total of one future invoice line: rated usage of one model, unit and unit price, and for late usage
 * of one day.
 *
 * @param model the model's name
 * @param unit what the quantity counts: a token kind, requests or audio seconds
 * @param unitPrice the unit price the usage was rated at: per 1,000,000 tokens, per request or per second
 * @param currency the currency of the rated amounts
 * @param quantity the sum of the tokens, requests or seconds
 * @param fullPrecisionAmount the sum of the rated amounts, not rounded
 * @param usageDate for late usage, the day in the client's zone it happened on; null for the period's own usage
 */
public record LineTotal(
        String model,
        LineUnit unit,
        BigDecimal unitPrice,
        Currency currency,
        long quantity,
        BigDecimal fullPrecisionAmount,
        LocalDate usageDate) {
}

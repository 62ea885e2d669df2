package io.tollbooth.portal.usage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * What a client's dashboard shows: the current and the previous billing period day by day, the budget with its
 * burn-down and a forecast to the end of the period, and how fast requests were answered. Periods are calendar
 * months and days are calendar days of the client's time zone; amounts are in the client's currency, each rounded
 * once to its minor unit for display from the full-precision charge.
 *
 * @param today the client's day now; days of the current period after it have no values yet
 */
public record ClientDashboard(String currency, String timeZone, LocalDate today, Period current, Period previous,
        Budget budget, Speed speed) {

    /**
     * One billing period, a value per day of the whole month: {@code null} for a day still to come.
     *
     * @param tokens every token billed (input of every kind and output) per day
     * @param spend the charge per day, rounded for display
     * @param byModel the same per requested model, by name
     * @param byKey the same per API key, named {@code name (prefix…)}; usage without a key as {@code (no key)}
     */
    public record Period(YearMonth month, List<LocalDate> days, List<Long> tokens, List<String> spend,
            long totalTokens, String totalSpend, List<Series> byModel, List<Series> byKey) {
    }

    /** One model's or one key's share of a period, per day. */
    public record Series(String name, List<Long> tokens, List<String> spend) {
    }

    /**
     * The current period's spend against the client's budget, day by day, and where it is heading: the forecast
     * assumes the rest of the period spends as much per day as the days so far did on average (today counted as a
     * whole day).
     *
     * @param amount the budget for the period; null when the client has none
     * @param spent the charge so far
     * @param remaining the budget less the charge so far; null without a budget
     * @param forecastSpend the charge the period is heading for by its last day
     * @param forecastRemaining the budget less that forecast (negative when it will be exceeded); null without one
     * @param spentToDate the charge up to and including each day, until today; null after
     * @param forecastToDate the forecast charge up to each day, from today to the end of the period; null before
     * @param remainingToDate the budget less {@code spentToDate}, the burn-down; null after today or without budget
     * @param forecastRemainingToDate the budget less {@code forecastToDate}; null before today or without budget
     */
    public record Budget(String amount, String spent, String remaining, String forecastSpend,
            String forecastRemaining, List<String> spentToDate, List<String> forecastToDate,
            List<String> remainingToDate, List<String> forecastRemainingToDate) {
    }

    /**
     * How fast the current period's requests were answered, as nearest-rank percentiles (each an observed value) in
     * milliseconds; null when nothing was measured.
     *
     * @param requests the requests measured, rejected usage left out
     * @param latencyMs from the request's arrival to the end of its response
     * @param timeToFirstTokenMs to the first token, of the streamed requests only
     */
    public record Speed(long requests, Percentiles latencyMs, Percentiles timeToFirstTokenMs) {
    }

    /** The 50th, 95th and 99th percentiles. */
    public record Percentiles(Long p50, Long p95, Long p99) {
    }

    /** Zero or more of the currency, as a plain string such as {@code 6.51}. */
    static String plain(BigDecimal amount) {
        return amount == null ? null : amount.toPlainString();
    }
}

package io.tollbooth.portal.usage;

import io.tollbooth.usage.event.TokenCounts;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * One client's usage per calendar day of a chosen time zone, every day of the range present (zero when idle), so
 * that the days add up to the range and a chart needs no gaps filled.
 *
 * @param zone the zone whose midnights bound the days
 * @param from first day (inclusive)
 * @param to last day (inclusive)
 * @param start first instant of {@code from} in {@code zone}
 * @param end first instant after {@code to} in {@code zone} (exclusive)
 * @param days one entry per day, in order
 * @param total the sums over the range
 * @param currency ISO 4217 code of every amount, the client's currency
 */
public record DailyUsage(UUID clientId, ZoneId zone, LocalDate from, LocalDate to, Instant start, Instant end,
        List<Day> days, Day total, String currency) {

    /**
     * What was used on one day (or, for the total, in the whole range).
     *
     * @param date the day; null for the total
     * @param requests usage events received, whatever their rating status
     * @param tokens tokens of the events that were not rejected
     * @param ratedAmount the client's charge at full precision, never rounded
     */
    public record Day(LocalDate date, long requests, TokenCounts tokens, BigDecimal ratedAmount) {
    }
}

package io.tollbooth.portal.usage;

import io.tollbooth.usage.event.TokenCounts;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * One client's activity per calendar day of a chosen time zone, each day also by model and by API key. Every day
 * of the range is present (zero when idle), and an event belongs to exactly one day, the one on which it happened
 * in that zone: the days add up to the range, and single-day queries add up to a query of several days.
 *
 * @param zone the zone whose midnights bound the days
 * @param from first day (inclusive)
 * @param to last day (inclusive)
 * @param start first instant of {@code from} in {@code zone}
 * @param end first instant after {@code to} in {@code zone} (exclusive)
 * @param currency ISO 4217 code of every amount, the client's currency
 * @param days one entry per day, in order
 * @param total the whole range, by model and by key
 */
public record DailyActivity(UUID clientId, ZoneId zone, LocalDate from, LocalDate to, Instant start, Instant end,
        String currency, List<Day> days, Breakdown total) {

    /**
     * What was used on one day.
     *
     * @param date the day in the query's zone
     */
    public record Day(LocalDate date, Breakdown activity) {
    }

    /**
     * Usage in all, by model (by name) and by API key (by prefix; requests without a key last).
     */
    public record Breakdown(Usage usage, List<ModelUsage> byModel, List<KeyUsage> byKey) {
    }

    /**
     * The usage of one model, by the name the client asked for (the name it is priced by).
     */
    public record ModelUsage(String model, Usage usage) {
    }

    /**
     * The usage of one API key of the client.
     *
     * @param apiKeyId the key's id; null for usage recorded without a key
     * @param keyPrefix the key's public prefix, for example {@code tb_1a2B3c4D}; null without a key
     * @param keyName the name the client gave the key; null without a key
     */
    public record KeyUsage(UUID apiKeyId, String keyPrefix, String keyName, Usage usage) {
    }

    /**
     * Counts and charge of a set of usage events.
     *
     * @param requests usage events received, whatever their rating status
     * @param tokens tokens of the events that were not rejected
     * @param ratedAmount the client's charge at full precision, never rounded
     */
    public record Usage(long requests, TokenCounts tokens, BigDecimal ratedAmount) {

        /** No usage at all. */
        public static final Usage NONE = new Usage(0, TokenCounts.ZERO, BigDecimal.ZERO);

        /** This usage and {@code other} together. */
        public Usage plus(Usage other) {
            TokenCounts a = tokens;
            TokenCounts b = other.tokens;
            return new Usage(requests + other.requests,
                    new TokenCounts(a.input() + b.input(), a.cachedInput() + b.cachedInput(),
                            a.cacheWrite() + b.cacheWrite(), a.output() + b.output(), a.reasoning() + b.reasoning()),
                    ratedAmount.add(other.ratedAmount));
        }
    }
}

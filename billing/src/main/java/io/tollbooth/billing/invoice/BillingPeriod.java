package io.tollbooth.billing.invoice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * A calendar month in a client's time zone: from the first day 00:00 local (inclusive) to the first day of the
 * next month 00:00 local (exclusive).
 *
 * <p>The boundaries are computed in the client's zone, daylight-saving changes included, so every instant belongs
 * to exactly one period: 2026-05-31T20:00:00Z is 2026-06-01 01:30 in Asia/Kolkata and belongs to June there.
 *
 * @param month the calendar month, as the client sees it
 * @param zone the client's time zone
 */
public record BillingPeriod(YearMonth month, ZoneId zone) {

    /** The period of a month in a zone. */
    public static BillingPeriod of(YearMonth month, ZoneId zone) {
        return new BillingPeriod(month, zone);
    }

    /** The period that contains an instant, seen from a zone. */
    public static BillingPeriod containing(Instant instant, ZoneId zone) {
        return new BillingPeriod(YearMonth.from(instant.atZone(zone)), zone);
    }

    /** The first day of the period. */
    public LocalDate startDate() {
        return month.atDay(1);
    }

    /** The first day after the period (exclusive end, as stored in {@code invoice.period_end}). */
    public LocalDate endDate() {
        return month.plusMonths(1).atDay(1);
    }

    /** The last day of the period, as printed for people. */
    public LocalDate lastDay() {
        return month.atEndOfMonth();
    }

    /** The first instant of the period. */
    public Instant start() {
        return startDate().atStartOfDay(zone).toInstant();
    }

    /** The first instant after the period. */
    public Instant end() {
        return endDate().atStartOfDay(zone).toInstant();
    }

    /** Whether an instant falls inside the period. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start()) && instant.isBefore(end());
    }

    /** Whether the period is over at {@code now}. */
    public boolean hasEndedAt(Instant now) {
        return !now.isBefore(end());
    }

    @Override
    public String toString() {
        return month + " " + zone.getId();
    }
}

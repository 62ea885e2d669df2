package io.tollbooth.billing.invoice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * One billing period of a client, in the client's time zone: from its first day 00:00 local (inclusive) to the
 * day after its last day 00:00 local (exclusive). With billing day 1 a period is a calendar month; with billing
 * day 15 it runs from the 15th to the 14th of the next month.
 *
 * <p>The boundaries are computed in the client's zone, daylight-saving changes included, so every instant belongs
 * to exactly one period: 2026-05-31T20:00:00Z is 2026-06-01 01:30 in Asia/Kolkata and belongs to June there.
 *
 * @param startDate the first day of the period
 * @param endDate the first day after the period (exclusive end, as stored in {@code invoice.period_end})
 * @param zone the client's time zone
 */
public record BillingPeriod(LocalDate startDate, LocalDate endDate, ZoneId zone) {

    /** The highest billing day: every month has it, so every period is exactly one month long. */
    public static final int MAX_BILLING_DAY = 28;

    public BillingPeriod {
        if (!endDate.isAfter(startDate)) {
            throw new IllegalArgumentException("period end " + endDate + " is not after its start " + startDate);
        }
    }

    /** The calendar month in a zone (billing day 1). */
    public static BillingPeriod of(YearMonth month, ZoneId zone) {
        return of(month, zone, 1);
    }

    /**
     * The period that starts in {@code month} on {@code billingDay}.
     *
     * @throws IllegalArgumentException if the billing day is not between 1 and {@link #MAX_BILLING_DAY}
     */
    public static BillingPeriod of(YearMonth month, ZoneId zone, int billingDay) {
        checkBillingDay(billingDay);
        LocalDate start = month.atDay(billingDay);
        return new BillingPeriod(start, start.plusMonths(1), zone);
    }

    /** The calendar month that contains an instant, seen from a zone. */
    public static BillingPeriod containing(Instant instant, ZoneId zone) {
        return containing(instant, zone, 1);
    }

    /** The period with {@code billingDay} that contains an instant, seen from a zone. */
    public static BillingPeriod containing(Instant instant, ZoneId zone, int billingDay) {
        checkBillingDay(billingDay);
        LocalDate day = instant.atZone(zone).toLocalDate();
        YearMonth month = YearMonth.from(day);
        return of(day.getDayOfMonth() >= billingDay ? month : month.minusMonths(1), zone, billingDay);
    }

    /** The month the period starts in; periods are named by it ("2026-05"). */
    public YearMonth month() {
        return YearMonth.from(startDate);
    }

    /** The day of the month on which the period starts. */
    public int billingDay() {
        return startDate.getDayOfMonth();
    }

    /** The period right after this one. */
    public BillingPeriod next() {
        return new BillingPeriod(endDate, endDate.plusMonths(1), zone);
    }

    /** The last day of the period, as printed for people. */
    public LocalDate lastDay() {
        return endDate.minusDays(1);
    }

    /** The first instant of the period. */
    public Instant start() {
        return startDate.atStartOfDay(zone).toInstant();
    }

    /** The first instant after the period. */
    public Instant end() {
        return endDate.atStartOfDay(zone).toInstant();
    }

    /** Whether an instant falls inside the period. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start()) && instant.isBefore(end());
    }

    /** Whether the period is over at {@code now}. */
    public boolean hasEndedAt(Instant now) {
        return !now.isBefore(end());
    }

    /** "2026-05 UTC" for a calendar month, "2026-05-15 to 2026-06-14 UTC" otherwise. */
    @Override
    public String toString() {
        String days = billingDay() == 1 ? month().toString() : startDate + " to " + lastDay();
        return days + " " + zone.getId();
    }

    private static void checkBillingDay(int billingDay) {
        if (billingDay < 1 || billingDay > MAX_BILLING_DAY) {
            throw new IllegalArgumentException("billing day " + billingDay + " is not between 1 and "
                    + MAX_BILLING_DAY);
        }
    }
}

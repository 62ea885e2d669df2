package io.tollbooth.gateway.limits;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * A client's billing period: the calendar month in the client's time zone, as the invoices count it.
 *
 * @param month the month, which names the period ({@code 2026-03})
 * @param start the first instant of the period
 * @param end the first instant after it
 */
public record BillingPeriod(YearMonth month, Instant start, Instant end) {

    /** The period that {@code at} falls in, for a client in {@code zone}. */
    public static BillingPeriod containing(Instant at, ZoneId zone) {
        YearMonth month = YearMonth.from(at.atZone(zone));
        return new BillingPeriod(month, month.atDay(1).atStartOfDay(zone).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
    }

    /** The period's name in counter keys. */
    public String id() {
        return month.toString();
    }
}

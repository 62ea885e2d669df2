package io.tollbooth.portal.usage;

import io.tollbooth.usage.event.TokenCounts;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

/**
 * What one client used in one calendar month of its own time zone, as metering recorded it.
 *
 * @param clientId the client
 * @param period the month, counted in {@code timeZone}
 * @param timeZone the client's zone
 * @param from first instant of the month (inclusive)
 * @param to first instant of the next month (exclusive)
 * @param requests usage events received, whatever their rating status
 * @param eventsByStatus events by rating status: {@code RATED}, {@code UNPRICED} and {@code REJECTED}, each present
 * @param tokens tokens of the events that were not rejected, by kind; reasoning is a part of output
 * @param ratedAmount sum of the rated ledger at full precision, not rounded
 * @param currency ISO 4217 code of {@code ratedAmount}, the client's currency
 */
public record UsageSummary(
        UUID clientId,
        YearMonth period,
        ZoneId timeZone,
        Instant from,
        Instant to,
        long requests,
        Map<String, Long> eventsByStatus,
        TokenCounts tokens,
        BigDecimal ratedAmount,
        String currency) {
}

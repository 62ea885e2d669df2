package io.tollbooth.portal.usage;

import io.tollbooth.billing.invoice.BillingPeriod;
import io.tollbooth.metering.rating.RatingStatus;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.usage.event.TokenCounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a client's usage, by month or by day, from the tables metering fills ({@code usage_event} and
 * {@code rated_usage}). Callers pass a {@link Client} they obtained through the caller's scope.
 */
@ApplicationScoped
public class UsageReport {

    /** Rating statuses in the order they are reported. */
    static final List<String> STATUSES = Arrays.stream(RatingStatus.values()).map(Enum::name).toList();

    private static final String EVENTS_BY_STATUS = """
            SELECT rating_status, count(*),
                   sum(input_tokens), sum(cached_input_tokens), sum(cache_write_tokens),
                   sum(output_tokens), sum(reasoning_tokens)
              FROM usage_event
             WHERE client_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3
             GROUP BY rating_status
            """;

    private static final String RATED_AMOUNT = """
            SELECT coalesce(sum(amount), 0)
              FROM rated_usage
             WHERE client_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3
            """;

    private static final String DAILY_EVENTS = """
            SELECT (occurred_at AT TIME ZONE ?4)::date AS day, count(*),
                   coalesce(sum(input_tokens) FILTER (WHERE rating_status <> 'REJECTED'), 0),
                   coalesce(sum(cached_input_tokens) FILTER (WHERE rating_status <> 'REJECTED'), 0),
                   coalesce(sum(cache_write_tokens) FILTER (WHERE rating_status <> 'REJECTED'), 0),
                   coalesce(sum(output_tokens) FILTER (WHERE rating_status <> 'REJECTED'), 0),
                   coalesce(sum(reasoning_tokens) FILTER (WHERE rating_status <> 'REJECTED'), 0)
              FROM usage_event
             WHERE client_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3
             GROUP BY day
            """;

    private static final String DAILY_AMOUNTS = """
            SELECT (occurred_at AT TIME ZONE ?4)::date AS day, sum(amount)
              FROM rated_usage
             WHERE client_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3
             GROUP BY day
            """;

    @Inject
    EntityManager entityManager;

    /**
     * The client's usage in {@code month}, whose bounds are midnights in the client's time zone: the same period
     * its invoice covers.
     */
    public UsageSummary forMonth(Client client, YearMonth month) {
        BillingPeriod period = BillingPeriod.of(month, client.zoneId());
        Instant from = period.start();
        Instant to = period.end();

        Map<String, Long> events = new LinkedHashMap<>();
        STATUSES.forEach(status -> events.put(status, 0L));
        TokenCounts tokens = TokenCounts.ZERO;
        long requests = 0;
        for (Object[] row : rows(EVENTS_BY_STATUS, client, from, to)) {
            String status = (String) row[0];
            long count = number(row[1]);
            events.put(status, count);
            requests += count;
            // Rejected events carry counts the gateway found inconsistent; they are kept, never counted.
            if (!RatingStatus.REJECTED.name().equals(status)) {
                tokens = add(tokens, row);
            }
        }

        BigDecimal rated = (BigDecimal) entityManager.createNativeQuery(RATED_AMOUNT)
                .setParameter(1, client.id).setParameter(2, from).setParameter(3, to)
                .getSingleResult();
        return new UsageSummary(client.id, month, period.zone(), from, to, requests, events, tokens, plain(rated),
                client.currency);
    }

    /**
     * The client's usage on each day from {@code from} to {@code to} (both inclusive), the days bounded by midnights
     * in {@code zone}: an event belongs to the day on which it happened in that zone, and only to that day, so the
     * sum of single-day queries equals the query of the whole range.
     */
    public DailyUsage daily(Client client, LocalDate from, LocalDate to, ZoneId zone) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        Map<LocalDate, DailyUsage.Day> days = new TreeMap<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            days.put(day, new DailyUsage.Day(day, 0, TokenCounts.ZERO, BigDecimal.ZERO));
        }
        for (Object[] row : rows(DAILY_EVENTS, client, start, end, zone)) {
            LocalDate day = date(row[0]);
            TokenCounts tokens = add(TokenCounts.ZERO, row);
            days.computeIfPresent(day, (d, idle) -> new DailyUsage.Day(d, number(row[1]), tokens, idle.ratedAmount()));
        }
        for (Object[] row : rows(DAILY_AMOUNTS, client, start, end, zone)) {
            LocalDate day = date(row[0]);
            BigDecimal amount = plain((BigDecimal) row[1]);
            days.computeIfPresent(day, (d, used) -> new DailyUsage.Day(d, used.requests(), used.tokens(), amount));
        }
        List<DailyUsage.Day> list = List.copyOf(days.values());
        return new DailyUsage(client.id, zone, from, to, start, end, list, sum(list), client.currency);
    }

    private static DailyUsage.Day sum(List<DailyUsage.Day> days) {
        long requests = 0;
        TokenCounts tokens = TokenCounts.ZERO;
        BigDecimal amount = BigDecimal.ZERO;
        for (DailyUsage.Day day : days) {
            requests += day.requests();
            TokenCounts t = day.tokens();
            tokens = new TokenCounts(tokens.input() + t.input(), tokens.cachedInput() + t.cachedInput(),
                    tokens.cacheWrite() + t.cacheWrite(), tokens.output() + t.output(),
                    tokens.reasoning() + t.reasoning());
            amount = amount.add(day.ratedAmount());
        }
        return new DailyUsage.Day(null, requests, tokens, plain(amount));
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, Client client, Instant from, Instant to, ZoneId zone) {
        return entityManager.createNativeQuery(sql)
                .setParameter(1, client.id).setParameter(2, from).setParameter(3, to).setParameter(4, zone.getId())
                .getResultList();
    }

    private static LocalDate date(Object value) {
        return value instanceof Date sql ? sql.toLocalDate() : (LocalDate) value;
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, Client client, Instant from, Instant to) {
        return entityManager.createNativeQuery(sql)
                .setParameter(1, client.id).setParameter(2, from).setParameter(3, to)
                .getResultList();
    }

    /** Adds the token sums of one row of {@link #EVENTS_BY_STATUS}. */
    private static TokenCounts add(TokenCounts sum, Object[] row) {
        return new TokenCounts(sum.input() + number(row[2]), sum.cachedInput() + number(row[3]),
                sum.cacheWrite() + number(row[4]), sum.output() + number(row[5]), sum.reasoning() + number(row[6]));
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    /** Drops trailing zeros a NUMERIC sum may carry ({@code 0.0060000} becomes {@code 0.006}); loses nothing. */
    private static BigDecimal plain(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}

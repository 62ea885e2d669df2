package io.tollbooth.portal.usage;

import io.tollbooth.billing.invoice.BillingPeriod;
import io.tollbooth.metering.rating.RatingStatus;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.usage.event.TokenCounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a client's monthly usage from the tables metering fills ({@code usage_event} and {@code rated_usage}).
 * Callers pass a {@link Client} they obtained through the caller's scope. {@link DailyActivityReport} reads it by day.
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

package io.tollbooth.portal.usage;

import io.tollbooth.portal.apikey.ApiKey;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.usage.DailyActivity.Breakdown;
import io.tollbooth.portal.usage.DailyActivity.KeyUsage;
import io.tollbooth.portal.usage.DailyActivity.ModelUsage;
import io.tollbooth.portal.usage.DailyActivity.Usage;
import io.tollbooth.usage.event.TokenCounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a client's activity per day of a chosen zone, by model and by API key, from the tables metering fills
 * ({@code usage_event} and {@code rated_usage}). Callers pass a {@link Client} they obtained through the caller's
 * scope.
 */
@ApplicationScoped
public class DailyActivityReport {

    // The day is taken in the query's zone inside the database, so each event falls on exactly one local day; a
    // UTC day widened to cover the zone would count events twice. The charge is summed per event first, so the
    // join never multiplies an event's counts by its rated rows.
    private static final String ACTIVITY = """
            SELECT (e.occurred_at AT TIME ZONE CAST(?4 AS text))::date AS day, e.requested_model, e.api_key_id,
                   count(*),
                   coalesce(sum(e.input_tokens) FILTER (WHERE e.rating_status <> 'REJECTED'), 0),
                   coalesce(sum(e.cached_input_tokens) FILTER (WHERE e.rating_status <> 'REJECTED'), 0),
                   coalesce(sum(e.cache_write_tokens) FILTER (WHERE e.rating_status <> 'REJECTED'), 0),
                   coalesce(sum(e.output_tokens) FILTER (WHERE e.rating_status <> 'REJECTED'), 0),
                   coalesce(sum(e.reasoning_tokens) FILTER (WHERE e.rating_status <> 'REJECTED'), 0),
                   coalesce(sum(r.amount), 0)
              FROM usage_event e
              LEFT JOIN LATERAL (SELECT sum(amount) AS amount FROM rated_usage WHERE usage_event_id = e.id) r
                ON true
             WHERE e.client_id = ?1 AND e.occurred_at >= ?2 AND e.occurred_at < ?3
             GROUP BY day, e.requested_model, e.api_key_id
            """;

    private static final Comparator<KeyUsage> BY_PREFIX =
            Comparator.comparing(KeyUsage::keyPrefix, Comparator.nullsLast(Comparator.naturalOrder()));

    @Inject
    EntityManager entityManager;

    /**
     * The client's activity on each day from {@code from} to {@code to} (both inclusive), the days bounded by
     * midnights in {@code zone}.
     */
    public DailyActivity read(Client client, LocalDate from, LocalDate to, ZoneId zone) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        Map<LocalDate, List<Row>> byDay = new TreeMap<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            byDay.put(day, new ArrayList<>());
        }
        List<Row> all = rows(client, start, end, zone);
        all.forEach(row -> byDay.computeIfPresent(row.day(), (day, rows) -> add(rows, row)));

        Map<UUID, ApiKey> keys = ApiKey.listByClient(client.id).stream()
                .collect(Collectors.toMap(key -> key.id, Function.identity()));
        List<DailyActivity.Day> days = byDay.entrySet().stream()
                .map(entry -> new DailyActivity.Day(entry.getKey(), breakdown(entry.getValue(), keys)))
                .toList();
        return new DailyActivity(client.id, zone, from, to, start, end, client.currency, days,
                breakdown(all, keys));
    }

    private static Breakdown breakdown(List<Row> rows, Map<UUID, ApiKey> keys) {
        Usage total = Usage.NONE;
        Map<String, Usage> models = new TreeMap<>();
        Map<UUID, Usage> byKey = new LinkedHashMap<>();
        for (Row row : rows) {
            total = total.plus(row.usage());
            models.merge(row.model(), row.usage(), Usage::plus);
            byKey.merge(row.apiKeyId(), row.usage(), Usage::plus);
        }
        List<ModelUsage> modelUsage = models.entrySet().stream()
                .map(entry -> new ModelUsage(entry.getKey(), plain(entry.getValue())))
                .toList();
        List<KeyUsage> keyUsage = new ArrayList<>();
        byKey.forEach((id, usage) -> keyUsage.add(keyUsage(id, keys.get(id), plain(usage))));
        keyUsage.sort(BY_PREFIX);
        return new Breakdown(plain(total), modelUsage, keyUsage);
    }

    private static KeyUsage keyUsage(UUID id, ApiKey key, Usage usage) {
        return key == null ? new KeyUsage(id, null, null, usage) : new KeyUsage(id, key.prefix, key.name, usage);
    }

    @SuppressWarnings("unchecked")
    private List<Row> rows(Client client, Instant start, Instant end, ZoneId zone) {
        List<Object[]> rows = entityManager.createNativeQuery(ACTIVITY)
                .setParameter(1, client.id).setParameter(2, start).setParameter(3, end).setParameter(4, zone.getId())
                .getResultList();
        return rows.stream().map(DailyActivityReport::row).toList();
    }

    private static Row row(Object[] row) {
        TokenCounts tokens = new TokenCounts(number(row[4]), number(row[5]), number(row[6]), number(row[7]),
                number(row[8]));
        return new Row(date(row[0]), (String) row[1], (UUID) row[2],
                new Usage(number(row[3]), tokens, (BigDecimal) row[9]));
    }

    private static List<Row> add(List<Row> rows, Row row) {
        rows.add(row);
        return rows;
    }

    private static LocalDate date(Object value) {
        return value instanceof Date sql ? sql.toLocalDate() : (LocalDate) Objects.requireNonNull(value);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    /** Drops trailing zeros a NUMERIC sum may carry ({@code 3.0000000} becomes {@code 3}); loses nothing. */
    private static Usage plain(Usage usage) {
        BigDecimal stripped = usage.ratedAmount().stripTrailingZeros();
        return new Usage(usage.requests(), usage.tokens(), stripped.scale() < 0 ? stripped.setScale(0) : stripped);
    }

    /** One group of the query: a day, a model and a key. */
    private record Row(LocalDate day, String model, UUID apiKeyId, Usage usage) {
    }
}

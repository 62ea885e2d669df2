package io.tollbooth.metering.ledger;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What one transaction adds to {@code usage_hourly}: requests, tokens, charge and cost per client, API key, model
 * and local hour, collected while usage is stored or rated and written as one statement at the end.
 */
final class HourlyUsage {

    private static final String UPSERT = "INSERT INTO usage_hourly (client_id, api_key_id, model, hour_start,"
            + " local_date, requests, unpriced_requests, input_tokens, cached_input_tokens, cache_write_tokens,"
            + " output_tokens, amount, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (client_id, api_key_id, model, hour_start) DO UPDATE SET"
            + " requests = usage_hourly.requests + EXCLUDED.requests,"
            + " unpriced_requests = usage_hourly.unpriced_requests + EXCLUDED.unpriced_requests,"
            + " input_tokens = usage_hourly.input_tokens + EXCLUDED.input_tokens,"
            + " cached_input_tokens = usage_hourly.cached_input_tokens + EXCLUDED.cached_input_tokens,"
            + " cache_write_tokens = usage_hourly.cache_write_tokens + EXCLUDED.cache_write_tokens,"
            + " output_tokens = usage_hourly.output_tokens + EXCLUDED.output_tokens,"
            + " amount = usage_hourly.amount + EXCLUDED.amount, cost = usage_hourly.cost + EXCLUDED.cost";

    /** A fixed order of the rows written, so that concurrent writers lock them in one order and never deadlock. */
    private static final Comparator<Bucket> ORDER = Comparator.comparing(Bucket::clientId)
            .thenComparing(bucket -> Objects.toString(bucket.apiKeyId(), ""))
            .thenComparing(Bucket::model)
            .thenComparing(Bucket::hourStart);

    private final Map<Bucket, Totals> totals = new HashMap<>();

    /**
     * The hour of the client's day that holds {@code at}: where the local hour begins, and its local date.
     * Subtracting the local minutes keeps the two hours of a day that repeats an hour (daylight saving) apart.
     */
    static Bucket bucket(UUID clientId, ZoneId zone, String apiKeyId, String model, Instant at) {
        ZonedDateTime local = at.atZone(zone);
        Instant hourStart = at.minusSeconds(local.getMinute() * 60L + local.getSecond()).minusNanos(local.getNano());
        return new Bucket(clientId, apiKeyId == null ? null : UUID.fromString(apiKeyId), model, hourStart,
                local.toLocalDate());
    }

    /** The hour's bucket of an event. */
    static Bucket bucket(UUID clientId, ZoneId zone, UsageData data, Instant at) {
        return bucket(clientId, zone, data.apiKeyId(), data.requestedModel(), at);
    }

    /** A request stored, with its tokens; {@code unpriced} when it waits for a price. */
    void request(Bucket bucket, TokenCounts tokens, boolean unpriced) {
        Totals sum = totals.computeIfAbsent(bucket, key -> new Totals());
        sum.requests++;
        sum.unpriced += unpriced ? 1 : 0;
        sum.input += tokens.input();
        sum.cachedInput += tokens.cachedInput();
        sum.cacheWrite += tokens.cacheWrite();
        sum.output += tokens.output();
    }

    /** A request that had no price and now has one ({@code -1}), or the other way round ({@code +1}). */
    void unpriced(Bucket bucket, int change) {
        totals.computeIfAbsent(bucket, key -> new Totals()).unpriced += change;
    }

    /** A charge and a known cost (null when unknown) added to, or with negative values taken off, the hour. */
    void money(Bucket bucket, BigDecimal amount, BigDecimal cost) {
        Totals sum = totals.computeIfAbsent(bucket, key -> new Totals());
        sum.amount = sum.amount.add(amount);
        sum.cost = cost == null ? sum.cost : sum.cost.add(cost);
    }

    /** Adds everything collected to {@code usage_hourly}. */
    void write(Connection connection) throws SQLException {
        if (totals.isEmpty()) {
            return;
        }
        List<Bucket> buckets = totals.keySet().stream().sorted(ORDER).toList();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (Bucket bucket : buckets) {
                Totals sum = totals.get(bucket);
                upsert.setObject(1, bucket.clientId());
                upsert.setObject(2, bucket.apiKeyId(), Types.OTHER);
                upsert.setString(3, bucket.model());
                upsert.setObject(4, OffsetDateTime.ofInstant(bucket.hourStart(), ZoneOffset.UTC));
                upsert.setObject(5, bucket.localDate());
                upsert.setLong(6, sum.requests);
                upsert.setLong(7, sum.unpriced);
                upsert.setLong(8, sum.input);
                upsert.setLong(9, sum.cachedInput);
                upsert.setLong(10, sum.cacheWrite);
                upsert.setLong(11, sum.output);
                upsert.setBigDecimal(12, sum.amount);
                upsert.setBigDecimal(13, sum.cost);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        totals.clear();
    }

    /**
     * One row of {@code usage_hourly}.
     *
     * @param apiKeyId null for usage without a key
     */
    record Bucket(UUID clientId, UUID apiKeyId, String model, Instant hourStart, LocalDate localDate) {
    }

    private static final class Totals {
        private long requests;
        private long unpriced;
        private long input;
        private long cachedInput;
        private long cacheWrite;
        private long output;
        private BigDecimal amount = BigDecimal.ZERO;
        private BigDecimal cost = BigDecimal.ZERO;
    }
}

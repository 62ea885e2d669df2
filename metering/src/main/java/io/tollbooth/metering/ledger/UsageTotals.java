package io.tollbooth.metering.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads a client's usage totals by hour and by day of its own time zone, as metering keeps them up to date with
 * every event stored and every rating: for dashboards and for the spend that budgets are checked against. A local
 * day is the same set of hours for every viewer, and a range of days is exactly the sum of its days.
 */
@ApplicationScoped
public class UsageTotals {

    private static final String SUMS = "sum(requests), sum(unpriced_requests), sum(input_tokens),"
            + " sum(cached_input_tokens), sum(cache_write_tokens), sum(output_tokens), sum(amount), sum(cost)";

    private static final String DAILY = "SELECT local_date, NULL::uuid, NULL, " + SUMS + " FROM usage_hourly"
            + " WHERE client_id = ? AND local_date >= ? AND local_date < ? GROUP BY local_date ORDER BY local_date";

    private static final String DAILY_BY_KEY_AND_MODEL = "SELECT local_date, api_key_id, model, " + SUMS
            + " FROM usage_hourly WHERE client_id = ? AND local_date >= ? AND local_date < ?"
            + " GROUP BY local_date, api_key_id, model ORDER BY local_date, api_key_id NULLS FIRST, model";

    private static final String HOURLY = "SELECT hour_start, local_date, api_key_id, model, requests,"
            + " unpriced_requests, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, amount, cost"
            + " FROM usage_hourly WHERE client_id = ? AND hour_start >= ? AND hour_start < ?"
            + " ORDER BY hour_start, api_key_id NULLS FIRST, model";

    private static final String SPEND = "SELECT coalesce(sum(amount), 0) FROM usage_hourly"
            + " WHERE client_id = ? AND local_date >= ? AND local_date < ?";

    private static final String BY_MODEL = "SELECT model, sum(amount), sum(cost) FROM usage_hourly"
            + " WHERE client_id = ? AND local_date >= ? AND local_date < ? GROUP BY model ORDER BY model";

    private final DataSource dataSource;

    public UsageTotals(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Usage summed over one hour, or one day, and possibly over keys and models.
     *
     * @param hourStart the instant the local hour begins; null for a day
     * @param localDate the client's calendar day
     * @param apiKeyId the key; null when summed over keys or for usage without a key
     * @param model the requested model; null when summed over models
     * @param requests requests stored (unpriced ones included, rejected ones not)
     * @param unpricedRequests of those, requests waiting for a price: their tokens count, their money does not
     * @param amount the client's charge in its currency, exact (rounded only on invoices)
     * @param cost the operator's known cost, exact
     */
    public record UsageTotal(Instant hourStart, LocalDate localDate, UUID apiKeyId, String model, long requests,
            long unpricedRequests, long inputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens,
            BigDecimal amount, BigDecimal cost) {
    }

    /** The client's usage per local day from {@code from} (inclusive) to {@code to} (exclusive); idle days absent. */
    public List<UsageTotal> daily(UUID clientId, LocalDate from, LocalDate to) throws SQLException {
        return days(DAILY, clientId, from, to);
    }

    /** As {@link #daily}, per API key and model. */
    public List<UsageTotal> dailyByKeyAndModel(UUID clientId, LocalDate from, LocalDate to) throws SQLException {
        return days(DAILY_BY_KEY_AND_MODEL, clientId, from, to);
    }

    /** The client's usage per local hour, key and model, of the hours that begin in [{@code from}, {@code to}). */
    public List<UsageTotal> hourly(UUID clientId, Instant from, Instant to) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(HOURLY)) {
            statement.setObject(1, clientId);
            statement.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            statement.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            List<UsageTotal> totals = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    totals.add(new UsageTotal(rows.getObject(1, OffsetDateTime.class).toInstant(),
                            rows.getObject(2, LocalDate.class), rows.getObject(3, UUID.class), rows.getString(4),
                            rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getLong(8), rows.getLong(9),
                            rows.getLong(10), rows.getBigDecimal(11), rows.getBigDecimal(12)));
                }
            }
            return totals;
        }
    }

    /**
     * What the client was charged for a model, what it cost the operator and the difference, over some days.
     *
     * @param amount the client's charge, exact
     * @param cost the operator's known cost, exact; usage of a model without a cost price adds nothing to it
     * @param margin {@code amount - cost}; meaningful where the client pays in the operator's currency
     */
    public record ModelMargin(String model, BigDecimal amount, BigDecimal cost, BigDecimal margin) {
    }

    /** The client's margin per model over the local days [{@code from}, {@code to}). */
    public List<ModelMargin> margins(UUID clientId, LocalDate from, LocalDate to) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(BY_MODEL)) {
            bindDays(statement, clientId, from, to);
            List<ModelMargin> margins = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    BigDecimal amount = rows.getBigDecimal(2);
                    BigDecimal cost = rows.getBigDecimal(3);
                    margins.add(new ModelMargin(rows.getString(1), amount, cost, amount.subtract(cost)));
                }
            }
            return margins;
        }
    }

    /** What the client is charged for its usage of the local days [{@code from}, {@code to}), exact. */
    public BigDecimal spend(UUID clientId, LocalDate from, LocalDate to) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SPEND)) {
            bindDays(statement, clientId, from, to);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBigDecimal(1);
            }
        }
    }

    private List<UsageTotal> days(String sql, UUID clientId, LocalDate from, LocalDate to) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bindDays(statement, clientId, from, to);
            List<UsageTotal> totals = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    totals.add(new UsageTotal(null, rows.getObject(1, LocalDate.class), rows.getObject(2, UUID.class),
                            rows.getString(3), rows.getLong(4), rows.getLong(5), rows.getLong(6), rows.getLong(7),
                            rows.getLong(8), rows.getLong(9), rows.getBigDecimal(10), rows.getBigDecimal(11)));
                }
            }
            return totals;
        }
    }

    private static void bindDays(PreparedStatement statement, UUID clientId, LocalDate from, LocalDate to)
            throws SQLException {
        statement.setObject(1, clientId);
        statement.setObject(2, from);
        statement.setObject(3, to);
    }
}

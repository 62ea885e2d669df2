package io.tollbooth.metering;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** Reads a client's rows of the usage ledger back for assertions; amounts come back as plain strings. */
public final class LedgerRows {

    private final DataSource dataSource;

    public LedgerRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One stored usage event. */
    public record EventRow(String eventId, String requestedModel, String status, String ratingStatus,
            long inputTokens, long cachedInputTokens, long outputTokens, String payloadId) {
    }

    /** One rated amount. */
    public record RatedRow(String eventId, String tokenKind, long quantity, UUID priceId, String pricePerMillion,
            String amount, String currency) {
    }

    /** One rated row with its charge and its cost; amounts as plain strings, null where unknown. */
    public record ChargeRow(String eventId, String unit, long quantity, long bandFrom, String source,
            String unitPrice, String amount, String costUnitPrice, String costAmount, UUID lateOfInvoiceId) {
    }

    public List<ChargeRow> charges(UUID clientId) throws SQLException {
        return query("SELECT e.event_id, r.token_kind, r.quantity, r.band_from, r.charge_source, r.price_per_million,"
                + " r.amount, r.cost_unit_price, r.cost_amount, r.late_of_invoice_id FROM rated_usage r"
                + " JOIN usage_event e ON e.id = r.usage_event_id WHERE r.client_id = ?"
                + " ORDER BY e.occurred_at, e.id, r.token_kind, r.band_from",
                clientId, rows -> new ChargeRow(rows.getString(1), rows.getString(2), rows.getLong(3),
                        rows.getLong(4), rows.getString(5), plain(rows.getBigDecimal(6)), plain(rows.getBigDecimal(7)),
                        plain(rows.getBigDecimal(8)), plain(rows.getBigDecimal(9)), rows.getObject(10, UUID.class)));
    }

    /** What one event charges the client and costs the operator, summed over its rated rows. */
    public record EventTotal(String eventId, String charge, String cost) {
    }

    /** Each rated event's charge and cost, at full precision, in event order. */
    public List<EventTotal> eventTotals(UUID clientId) throws SQLException {
        return query("SELECT e.event_id, sum(r.amount), sum(r.cost_amount) FROM rated_usage r"
                + " JOIN usage_event e ON e.id = r.usage_event_id WHERE r.client_id = ?"
                + " GROUP BY e.id, e.event_id, e.occurred_at ORDER BY e.occurred_at, e.id",
                clientId, rows -> new EventTotal(rows.getString(1), plain(rows.getBigDecimal(2)),
                        plain(rows.getBigDecimal(3))));
    }

    /** The client's rated cost, at full precision. */
    public String costTotal(UUID clientId) throws SQLException {
        return query("SELECT coalesce(sum(cost_amount), 0) FROM rated_usage WHERE client_id = ?", clientId,
                rows -> plain(rows.getBigDecimal(1))).get(0);
    }

    /** The client's monthly quantity of a unit, summed over models and months; 0 when it has none. */
    public long monthlyQuantity(UUID clientId, String unit) throws SQLException {
        return query("SELECT coalesce(sum(quantity), 0) FROM monthly_usage WHERE client_id = ? AND unit = ?",
                clientId, rows -> rows.getLong(1), unit).get(0);
    }

    public List<EventRow> events(UUID clientId) throws SQLException {
        return query("SELECT event_id, requested_model, status, rating_status, input_tokens, cached_input_tokens,"
                + " output_tokens, payload ->> 'id' FROM usage_event WHERE client_id = ? ORDER BY occurred_at, id",
                clientId, rows -> new EventRow(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getString(8)));
    }

    public List<RatedRow> rated(UUID clientId) throws SQLException {
        return query("SELECT e.event_id, r.token_kind, r.quantity, r.price_id, r.price_per_million, r.amount,"
                + " r.currency FROM rated_usage r JOIN usage_event e ON e.id = r.usage_event_id"
                + " WHERE r.client_id = ? ORDER BY e.occurred_at, e.id, r.id",
                clientId, rows -> new RatedRow(rows.getString(1), rows.getString(2), rows.getLong(3),
                        rows.getObject(4, UUID.class), plain(rows.getBigDecimal(5)), plain(rows.getBigDecimal(6)),
                        rows.getString(7)));
    }

    /** The client's rated total, at full precision. */
    public String total(UUID clientId) throws SQLException {
        return query("SELECT coalesce(sum(amount), 0) FROM rated_usage WHERE client_id = ?", clientId,
                rows -> plain(rows.getBigDecimal(1))).get(0);
    }

    private <T> List<T> query(String sql, UUID clientId, RowMapper<T> mapper, Object... more) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, clientId);
            for (int i = 0; i < more.length; i++) {
                statement.setObject(i + 2, more[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        }
    }

    private static String plain(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rows) throws SQLException;
    }
}

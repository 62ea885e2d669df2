package io.tollbooth.metering.ledger;

import io.tollbooth.metering.rating.MonthlyKey;
import io.tollbooth.metering.rating.UsageUnit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The clients' monthly quantities in {@code monthly_usage}: read under a row lock where monthly bands need them, and
 * added to in the transaction that writes the rated rows. Each is one statement for the whole batch.
 */
final class MonthlyCounters {

    private static final String ROWS = " SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::date[], ?::bigint[])";

    /** Creates missing counters at 0, locks them all and reads them; the no-op update is what takes the lock. */
    private static final String LOCK = "INSERT INTO monthly_usage (client_id, model_id, unit, month, quantity)" + ROWS
            + " ON CONFLICT (client_id, model_id, unit, month) DO UPDATE SET quantity = monthly_usage.quantity"
            + " RETURNING client_id, model_id, unit, month, quantity";

    private static final String ADD = "INSERT INTO monthly_usage (client_id, model_id, unit, month, quantity)" + ROWS
            + " ON CONFLICT (client_id, model_id, unit, month)"
            + " DO UPDATE SET quantity = monthly_usage.quantity + EXCLUDED.quantity";

    /** Takes quantities off existing counters; an insert cannot, as its proposed row would be negative. */
    private static final String SUBTRACT = "UPDATE monthly_usage m SET quantity = m.quantity - d.quantity FROM ("
            + ROWS + ") AS d (client_id, model_id, unit, month, quantity) WHERE m.client_id = d.client_id"
            + " AND m.model_id = d.model_id AND m.unit = d.unit AND m.month = d.month";

    private MonthlyCounters() {
    }

    /** Locks the counters until the transaction ends and returns their values; missing ones are created at 0. */
    static Map<MonthlyKey, Long> lock(Connection connection, Collection<MonthlyKey> keys) throws SQLException {
        Map<MonthlyKey, Long> values = new HashMap<>();
        if (keys.isEmpty()) {
            return values;
        }
        Map<MonthlyKey, Long> zeros = new HashMap<>();
        keys.forEach(key -> zeros.put(key, 0L));
        try (PreparedStatement statement = connection.prepareStatement(LOCK)) {
            bind(connection, statement, zeros);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    MonthlyKey key = new MonthlyKey(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            UsageUnit.ofCode(rows.getString(3)), YearMonth.from(rows.getObject(4, LocalDate.class)));
                    values.put(key, rows.getLong(5));
                }
            }
        }
        return values;
    }

    /** Adds quantities to the counters, creating the missing ones. */
    static void add(Connection connection, Map<MonthlyKey, Long> quantities) throws SQLException {
        if (quantities.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(ADD)) {
            bind(connection, statement, quantities);
            statement.executeUpdate();
        }
    }

    /** Takes quantities off the counters, which must exist (lock them first). */
    static void subtract(Connection connection, Map<MonthlyKey, Long> quantities) throws SQLException {
        if (quantities.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(SUBTRACT)) {
            bind(connection, statement, quantities);
            statement.executeUpdate();
        }
    }

    /** Binds the keys in {@link MonthlyKey#ORDER}, so that concurrent writers take the row locks in one order. */
    private static void bind(Connection connection, PreparedStatement statement, Map<MonthlyKey, Long> values)
            throws SQLException {
        List<MonthlyKey> keys = values.keySet().stream().sorted(MonthlyKey.ORDER).toList();
        int size = keys.size();
        Object[] clients = new Object[size];
        Object[] models = new Object[size];
        Object[] units = new Object[size];
        Object[] months = new Object[size];
        Object[] quantities = new Object[size];
        for (int i = 0; i < size; i++) {
            MonthlyKey key = keys.get(i);
            clients[i] = key.clientId();
            models[i] = key.modelId();
            units[i] = key.unit().code();
            months[i] = key.month().atDay(1).toString();
            quantities[i] = values.get(key);
        }
        statement.setArray(1, connection.createArrayOf("uuid", clients));
        statement.setArray(2, connection.createArrayOf("uuid", models));
        statement.setArray(3, connection.createArrayOf("text", units));
        statement.setArray(4, connection.createArrayOf("text", months));
        statement.setArray(5, connection.createArrayOf("bigint", quantities));
    }
}

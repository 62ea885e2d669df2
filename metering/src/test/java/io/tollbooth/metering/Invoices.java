package io.tollbooth.metering;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Issues invoices with plain SQL, as billing would, so that metering tests can put a client's period behind an
 * invoice and see how usage arriving for it afterwards is rated.
 */
public final class Invoices {

    private Invoices() {
    }

    /**
     * Inserts a finalized, empty invoice of the client for the local days {@code from} (inclusive) to {@code to}
     * (exclusive), in the client's time zone and currency.
     *
     * @return the invoice's id
     */
    public static UUID issue(DataSource dataSource, UUID operatorId, UUID clientId, LocalDate from, LocalDate to)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            // Billing's later migrations add an amount due that every invoice must state; metering tests run both
            // with and without them, so the column is filled only where it exists.
            boolean amountDue = hasColumn(connection, "invoice", "amount_due");
            String sql = "INSERT INTO invoice (id, operator_id, client_id, number, status, period_start, period_end,"
                    + " time_zone, currency, subtotal, total, finalized_at" + (amountDue ? ", amount_due" : "") + ")"
                    + " SELECT ?, ?, id, ?, 'FINALIZED', ?, ?, time_zone, currency, 0, 0, now()"
                    + (amountDue ? ", 0" : "") + " FROM client WHERE id = ?";
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                insert.setObject(1, id);
                insert.setObject(2, operatorId);
                insert.setString(3, "INV-" + id);
                insert.setObject(4, from);
                insert.setObject(5, to);
                insert.setObject(6, clientId);
                if (insert.executeUpdate() != 1) {
                    throw new IllegalArgumentException("no client " + clientId);
                }
            }
        }
        return id;
    }

    private static boolean hasColumn(Connection connection, String table, String column) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?")) {
            query.setString(1, table);
            query.setString(2, column);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}

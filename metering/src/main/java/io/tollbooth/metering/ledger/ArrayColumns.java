package io.tollbooth.metering.ledger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The rows of a batch as one array per column, bound to {@code INSERT ... SELECT * FROM unnest(...)}: one statement,
 * one plan and one round trip for the whole batch instead of one execution per row, which is what makes storing a
 * batch about as fast as PostgreSQL can write its rows.
 */
final class ArrayColumns {

    private final String[] types;
    private final Object[][] values;
    private int row = -1;

    /**
     * @param rows how many rows will be added
     * @param types each column's PostgreSQL type, as in {@code uuid}, {@code text}, {@code bigint}, {@code numeric}
     */
    ArrayColumns(int rows, String... types) {
        this.types = types;
        this.values = new Object[types.length][rows];
    }

    /** {@code unnest(?::uuid[], ?::text[], ...)} for the given column types. */
    static String unnest(String... types) {
        return Stream.of(types).map(type -> "?::" + type + "[]").collect(Collectors.joining(", ", "unnest(", ")"));
    }

    /** Starts the next row; {@link #set} fills its columns. */
    void nextRow() {
        row++;
    }

    /** Sets a column of the current row; a number of type {@code numeric} may be a {@code BigDecimal}. */
    void set(int column, Object value) {
        values[column][row] = value;
    }

    /** Binds the columns as parameters 1 to n, each as an array of its type's text or Java values. */
    void bind(Connection connection, PreparedStatement statement) throws SQLException {
        for (int i = 0; i < types.length; i++) {
            // Arrays of other types travel as text and are cast by the statement's ?::type[].
            boolean asText = !types[i].equals("uuid") && !types[i].equals("bigint");
            statement.setArray(i + 1, connection.createArrayOf(asText ? "text" : types[i],
                    asText ? text(values[i]) : values[i]));
        }
    }

    private static Object[] text(Object[] column) {
        Object[] text = new Object[column.length];
        for (int i = 0; i < column.length; i++) {
            Object value = column[i];
            text[i] = value instanceof BigDecimal decimal ? decimal.toPlainString()
                    : value == null ? null : value.toString();
        }
        return text;
    }
}

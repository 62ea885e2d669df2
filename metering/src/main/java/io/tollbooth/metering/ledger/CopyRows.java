package io.tollbooth.metering.ledger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The rows of a batch in PostgreSQL's {@code COPY} text format, sent with one {@code COPY ... FROM STDIN}: the
 * cheapest way to hand PostgreSQL many rows, for the client (no statement parameters, no array literals to quote) and
 * for the server (each value goes straight to its column's input function).
 *
 * <p>Values are written in each column's text form: {@code null} as {@code \N}, a {@link BigDecimal} in full without
 * an exponent, an {@code Instant} in ISO 8601 (which {@code timestamptz} reads exactly), booleans as {@code t} and
 * {@code f}; in text, the backslash, newline, carriage return and tab are escaped.
 *
 * <p>The encoded rows are kept in chunks of {@value #CHUNK_BYTES} bytes: a batch's rows take a megabyte or more, and
 * one buffer that large is a humongous object to the G1 collector, each of which starts a collection.
 */
final class CopyRows {

    private static final int CHUNK_BYTES = 64 * 1024;

    private final StringBuilder text = new StringBuilder(1024);
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] chunk = new byte[CHUNK_BYTES];
    private int used;
    private boolean firstInRow = true;
    private int rows;

    /** Adds the next column of the current row. */
    CopyRows add(Object value) {
        if (!firstInRow) {
            text.append('\t');
        }
        firstInRow = false;
        if (value == null) {
            text.append("\\N");
        } else if (value instanceof String string) {
            appendEscaped(string);
        } else if (value instanceof BigDecimal decimal) {
            text.append(decimal.toPlainString());
        } else if (value instanceof Boolean bool) {
            text.append(bool ? 't' : 'f');
        } else {
            // Numbers, UUIDs, instants and dates: their text has nothing to escape.
            text.append(value);
        }
        return this;
    }

    /** Ends the current row. */
    void endRow() {
        text.append('\n');
        byte[] row = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        for (int from = 0; from < row.length; ) {
            if (used == CHUNK_BYTES) {
                chunks.add(chunk);
                chunk = new byte[CHUNK_BYTES];
                used = 0;
            }
            int length = Math.min(row.length - from, CHUNK_BYTES - used);
            System.arraycopy(row, from, chunk, used, length);
            used += length;
            from += length;
        }
        firstInRow = true;
        rows++;
    }

    /** Rows ended so far. */
    int rows() {
        return rows;
    }

    /**
     * Sends the rows with {@code copy}, a {@code COPY ... FROM STDIN} statement (text format), in the connection's
     * current transaction.
     *
     * @return the rows PostgreSQL copied
     */
    long copy(Connection connection, String copy) throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
        try {
            for (byte[] full : chunks) {
                in.writeToCopy(full, 0, full.length);
            }
            in.writeToCopy(chunk, 0, used);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void appendEscaped(String value) {
        // Most text (all of a compact JSON event, usually) has nothing to escape; String.indexOf is much faster than
        // looking at each character here.
        if (value.indexOf('\\') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0
                && value.indexOf('\t') < 0) {
            text.append(value);
            return;
        }
        int length = value.length();
        int plainUntil = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            String escape = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> null;
            };
            if (escape != null) {
                text.append(value, plainUntil, i).append(escape);
                plainUntil = i + 1;
            }
        }
        text.append(value, plainUntil, length);
    }
}

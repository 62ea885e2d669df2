package io.tollbooth.metering.ledger;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The statements that write a batch of events into the ledger: the batch is copied into a temporary table of this
 * connection, then inserted from there in one statement that skips events already stored and returns the new rows.
 */
final class LedgerStatements {

    private static final String EVENT_COLUMNS = "client_id, source, event_id, request_id, api_key_id, endpoint,"
            + " requested_model, served_model, backend, stream, status, usage_source, input_tokens,"
            + " cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, latency_ms, ttft_ms,"
            + " occurred_at, rating_status, payload, unpriced_reason";

    /**
     * The batch before it is inserted: a temporary table lives in this connection's session only, is written without
     * WAL, and loses its rows when the transaction ends (whether it commits or not). {@code n} keeps the batch's key
     * order. Created on the first batch of each connection; {@code IF NOT EXISTS} also covers a creation that was
     * rolled back.
     */
    private static final String CREATE_STAGING = "CREATE TEMPORARY TABLE IF NOT EXISTS usage_event_batch (n integer,"
            + " client_id uuid, source text, event_id text, request_id text, api_key_id uuid, endpoint text,"
            + " requested_model text, served_model text, backend text, stream boolean, status text,"
            + " usage_source text, input_tokens bigint, cached_input_tokens bigint, cache_write_tokens bigint,"
            + " output_tokens bigint, reasoning_tokens bigint, latency_ms bigint, ttft_ms bigint,"
            + " occurred_at timestamptz, rating_status text, payload text, unpriced_reason text)"
            + " ON COMMIT DELETE ROWS";

    private static final String COPY_STAGING = "COPY pg_temp.usage_event_batch (n, " + EVENT_COLUMNS
            + ") FROM STDIN";

    /** Inserts the batch's events in key order; returns the rows actually inserted, none for events already there. */
    private static final String INSERT_EVENTS = "INSERT INTO usage_event (" + EVENT_COLUMNS + ") SELECT "
            + EVENT_COLUMNS.replace("payload", "payload::json") + " FROM pg_temp.usage_event_batch ORDER BY n"
            + " ON CONFLICT (client_id, source, event_id) DO NOTHING"
            + " RETURNING id, client_id, source, event_id";

    private LedgerStatements() {
    }

    /**
     * Inserts the events that are not stored yet.
     *
     * @return the new row ids of the events inserted now, by key; events already stored are absent
     */
    static Map<EventKey, Long> insertEvents(Connection connection, List<Entry> entries) throws SQLException {
        CopyRows rows = new CopyRows();
        for (Entry entry : entries) {
            rows.add(rows.rows());
            addEvent(rows, entry);
            rows.endRow();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_STAGING);
        }
        rows.copy(connection, COPY_STAGING);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENTS)) {
            Map<EventKey, Long> inserted = new HashMap<>(entries.size() * 2);
            try (ResultSet keys = insert.executeQuery()) {
                while (keys.next()) {
                    EventKey key = new EventKey(keys.getObject(2, UUID.class), keys.getString(3), keys.getString(4));
                    inserted.put(key, keys.getLong(1));
                }
            }
            return inserted;
        }
    }

    private static void addEvent(CopyRows row, Entry entry) {
        UsageData data = entry.event().data();
        TokenCounts tokens = data.tokens();
        row.add(entry.key().clientId());
        row.add(entry.key().source());
        row.add(entry.key().eventId());
        row.add(data.requestId());
        row.add(data.apiKeyId() == null ? null : UUID.fromString(data.apiKeyId()));
        row.add(data.endpoint());
        row.add(data.requestedModel());
        row.add(data.servedModel());
        row.add(data.backend());
        row.add(data.stream());
        row.add(data.status().name());
        row.add(data.usageSource().name());
        row.add(tokens.input());
        row.add(tokens.cachedInput());
        row.add(tokens.cacheWrite());
        row.add(tokens.output());
        row.add(tokens.reasoning());
        row.add(data.latencyMs());
        row.add(data.timeToFirstTokenMs());
        row.add(entry.event().time());
        row.add(entry.rating().status().name());
        row.add(entry.received().json());
        row.add(entry.rating().reason());
    }
}

package io.tollbooth.metering.ledger;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The one statement that writes a batch of events into the ledger. */
final class LedgerStatements {

    private static final String[] EVENT_TYPES = {"uuid", "text", "text", "text", "uuid", "text", "text", "text", "text",
        "boolean", "text", "text", "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "timestamptz",
        "text", "jsonb", "text"};

    /** Inserts the batch's events in key order; returns the rows actually inserted, none for events already there. */
    private static final String INSERT_EVENTS = "INSERT INTO usage_event (client_id, source, event_id, request_id,"
            + " api_key_id, endpoint, requested_model, served_model, backend, stream, status, usage_source,"
            + " input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, latency_ms,"
            + " ttft_ms, occurred_at, rating_status, payload, unpriced_reason)"
            + " SELECT * FROM " + ArrayColumns.unnest(EVENT_TYPES)
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
        ArrayColumns columns = new ArrayColumns(entries.size(), EVENT_TYPES);
        for (Entry entry : entries) {
            columns.nextRow();
            setEvent(columns, entry);
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENTS)) {
            columns.bind(connection, insert);
            Map<EventKey, Long> inserted = new HashMap<>();
            try (ResultSet keys = insert.executeQuery()) {
                while (keys.next()) {
                    EventKey key = new EventKey(keys.getObject(2, UUID.class), keys.getString(3), keys.getString(4));
                    inserted.put(key, keys.getLong(1));
                }
            }
            return inserted;
        }
    }

    private static void setEvent(ArrayColumns row, Entry entry) {
        UsageData data = entry.event().data();
        TokenCounts tokens = data.tokens();
        row.set(0, entry.key().clientId());
        row.set(1, entry.key().source());
        row.set(2, entry.key().eventId());
        row.set(3, data.requestId());
        row.set(4, data.apiKeyId() == null ? null : UUID.fromString(data.apiKeyId()));
        row.set(5, data.endpoint());
        row.set(6, data.requestedModel());
        row.set(7, data.servedModel());
        row.set(8, data.backend());
        row.set(9, data.stream());
        row.set(10, data.status().name());
        row.set(11, data.usageSource().name());
        row.set(12, tokens.input());
        row.set(13, tokens.cachedInput());
        row.set(14, tokens.cacheWrite());
        row.set(15, tokens.output());
        row.set(16, tokens.reasoning());
        row.set(17, data.latencyMs());
        row.set(18, data.timeToFirstTokenMs());
        row.set(19, entry.event().time());
        row.set(20, entry.rating().status().name());
        row.set(21, entry.received().json());
        row.set(22, entry.rating().reason());
    }
}

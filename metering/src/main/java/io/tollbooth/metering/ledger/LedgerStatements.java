package io.tollbooth.metering.ledger;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The batched insert that writes a batch of events into the ledger. */
final class LedgerStatements {

    private static final String INSERT_EVENT = "INSERT INTO usage_event (client_id, source, event_id, request_id,"
            + " api_key_id, endpoint, requested_model, served_model, backend, stream, status, usage_source,"
            + " input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, latency_ms,"
            + " ttft_ms, occurred_at, rating_status, payload, unpriced_reason)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)"
            + " ON CONFLICT (client_id, source, event_id) DO NOTHING";

    /** Returned for the rows actually inserted; an event already present returns nothing. */
    private static final String[] INSERTED_KEY = {"id", "client_id", "source", "event_id"};

    private LedgerStatements() {
    }

    /**
     * Inserts the events that are not stored yet.
     *
     * @return the new row ids of the events inserted now, by key; events already stored are absent
     */
    static Map<EventKey, Long> insertEvents(Connection connection, List<Entry> entries) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT, INSERTED_KEY)) {
            for (Entry entry : entries) {
                bindEvent(insert, entry);
                insert.addBatch();
            }
            insert.executeBatch();
            Map<EventKey, Long> inserted = new HashMap<>();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                while (keys.next()) {
                    EventKey key = new EventKey(keys.getObject(2, UUID.class), keys.getString(3), keys.getString(4));
                    inserted.put(key, keys.getLong(1));
                }
            }
            return inserted;
        }
    }

    private static void bindEvent(PreparedStatement insert, Entry entry) throws SQLException {
        UsageData data = entry.event().data();
        TokenCounts tokens = data.tokens();
        insert.setObject(1, entry.key().clientId());
        insert.setString(2, entry.key().source());
        insert.setString(3, entry.key().eventId());
        insert.setString(4, data.requestId());
        insert.setObject(5, data.apiKeyId() == null ? null : UUID.fromString(data.apiKeyId()), Types.OTHER);
        insert.setString(6, data.endpoint());
        insert.setString(7, data.requestedModel());
        insert.setString(8, data.servedModel());
        insert.setString(9, data.backend());
        insert.setBoolean(10, data.stream());
        insert.setString(11, data.status().name());
        insert.setString(12, data.usageSource().name());
        insert.setLong(13, tokens.input());
        insert.setLong(14, tokens.cachedInput());
        insert.setLong(15, tokens.cacheWrite());
        insert.setLong(16, tokens.output());
        insert.setLong(17, tokens.reasoning());
        insert.setLong(18, data.latencyMs());
        insert.setObject(19, data.timeToFirstTokenMs(), Types.BIGINT);
        insert.setObject(20, utc(entry.event().time()));
        insert.setString(21, entry.rating().status().name());
        insert.setString(22, entry.received().json());
        insert.setString(23, entry.rating().reason());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

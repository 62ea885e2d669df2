package io.tollbooth.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * Reads API keys from PostgreSQL by the SHA-256 of the key, with the operator of the key's client and the models
 * the key is restricted to, if any.
 */
@ApplicationScoped
public class ApiKeyStore {

    private static final String FIND_BY_HASH = """
            SELECT k.id, k.prefix, k.client_id, c.operator_id, k.expires_at, k.revoked_at,
                   ARRAY(SELECT m.model_name FROM api_key_model m WHERE m.api_key_id = k.id) AS models
            FROM api_key k
            JOIN client c ON c.id = k.client_id
            WHERE k.key_hash = $1""";

    private final Pool pool;

    ApiKeyStore(Pool pool) {
        this.pool = pool;
    }

    /** The key whose hash is {@code keyHash}, revoked and expired ones included; empty when there is none. */
    Future<Optional<StoredApiKey>> findByHash(byte[] keyHash) {
        return pool.preparedQuery(FIND_BY_HASH)
                .execute(Tuple.of(Buffer.buffer(keyHash)))
                .map(rows -> {
                    RowIterator<Row> iterator = rows.iterator();
                    return iterator.hasNext() ? Optional.of(toKey(iterator.next())) : Optional.empty();
                });
    }

    private static StoredApiKey toKey(Row row) {
        AuthenticatedKey identity = new AuthenticatedKey(row.getUUID("id"), row.getString("prefix"),
                row.getUUID("client_id"), row.getUUID("operator_id"), Set.of(row.getArrayOfStrings("models")));
        return new StoredApiKey(identity, instant(row.getOffsetDateTime("expires_at")),
                instant(row.getOffsetDateTime("revoked_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}

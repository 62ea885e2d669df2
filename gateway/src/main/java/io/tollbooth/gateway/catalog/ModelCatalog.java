package io.tollbooth.gateway.catalog;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollbooth.gateway.CachedFutures;
import io.tollbooth.gateway.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The models each operator offers (table {@code model}), read once per operator and TTL, so a request for an
 * unknown name never reaches the database.
 */
@ApplicationScoped
public class ModelCatalog {

    private static final String MODELS_OF_OPERATOR = "SELECT name FROM model WHERE operator_id = $1";

    /** Operators with a cached list; each has a handful of models. */
    private static final long MAX_OPERATORS = 10_000;

    private final AsyncLoadingCache<UUID, Set<String>> modelsByOperator;

    ModelCatalog(Pool pool, GatewayConfig config) {
        Duration ttl = config.models().cacheTtl();
        this.modelsByOperator = Caffeine.newBuilder()
                .maximumSize(MAX_OPERATORS)
                .expireAfterWrite(ttl)
                .refreshAfterWrite(ttl.dividedBy(2))
                .buildAsync((operatorId, executor) -> load(pool, operatorId).toCompletionStage().toCompletableFuture());
    }

    /** Whether operator {@code operatorId} offers a model named {@code model}; fails when the database fails. */
    public Future<Boolean> offers(UUID operatorId, String model) {
        return CachedFutures.onCallerContext(modelsByOperator.get(operatorId)).map(models -> models.contains(model));
    }

    private static Future<Set<String>> load(Pool pool, UUID operatorId) {
        return pool.preparedQuery(MODELS_OF_OPERATOR).execute(Tuple.of(operatorId)).map(rows -> {
            Set<String> names = new HashSet<>();
            for (Row row : rows) {
                names.add(row.getString("name"));
            }
            return Set.copyOf(names);
        });
    }
}

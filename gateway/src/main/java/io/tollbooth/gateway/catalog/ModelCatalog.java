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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The models each operator offers (table {@code model}), read once per operator and TTL, so a request for an
 * unknown name never reaches the database.
 */
@ApplicationScoped
public class ModelCatalog {

    private static final String MODELS_OF_OPERATOR = """
            SELECT m.name, m.created_at, o.slug
            FROM model m
            JOIN operator o ON o.id = m.operator_id
            WHERE m.operator_id = $1""";

    /** Operators with a cached list; each has a handful of models. */
    private static final long MAX_OPERATORS = 10_000;

    private final AsyncLoadingCache<UUID, OperatorModels> modelsByOperator;

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
        return CachedFutures.onCallerContext(modelsByOperator.get(operatorId))
                .map(models -> models.byName().containsKey(model));
    }

    /** The models operator {@code operatorId} offers, by name; fails when the database fails. */
    public Future<List<CatalogModel>> models(UUID operatorId) {
        return CachedFutures.onCallerContext(modelsByOperator.get(operatorId)).map(OperatorModels::sorted);
    }

    private static Future<OperatorModels> load(Pool pool, UUID operatorId) {
        return pool.preparedQuery(MODELS_OF_OPERATOR).execute(Tuple.of(operatorId)).map(rows -> {
            List<CatalogModel> models = new ArrayList<>();
            for (Row row : rows) {
                models.add(new CatalogModel(row.getString("name"),
                        row.getOffsetDateTime("created_at").toInstant(), row.getString("slug")));
            }
            models.sort(Comparator.comparing(CatalogModel::name));
            return new OperatorModels(List.copyOf(models), models.stream()
                    .collect(Collectors.toUnmodifiableMap(CatalogModel::name, Function.identity())));
        });
    }

    /** One operator's models, in name order and by name. */
    private record OperatorModels(List<CatalogModel> sorted, Map<String, CatalogModel> byName) {
    }
}

package io.tollbooth.gateway.routing;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollbooth.gateway.CachedFutures;
import io.tollbooth.gateway.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The backends each model (or alias) of an operator is served by, in the order they are tried, each with the name
 * it knows the model by (tables {@code model_route} and {@code backend}), read once per operator and TTL like the
 * model catalog. A model with no route is served by the gateway's configured backend alone.
 */
@ApplicationScoped
public class BackendRoutes {

    private static final Logger LOG = Logger.getLogger(BackendRoutes.class);
    private static final String ROUTES_OF_OPERATOR = """
            SELECT r.model_name, r.backend_model, b.name, b.base_url, b.api_key_env, b.max_in_flight
            FROM model_route r
            JOIN backend b ON b.id = r.backend_id
            WHERE r.operator_id = $1
            ORDER BY r.model_name, r.priority""";
    private static final long MAX_OPERATORS = 10_000;

    private final Backend configured;
    private final AsyncLoadingCache<UUID, Map<String, List<Backend>>> routesByOperator;

    BackendRoutes(Pool pool, GatewayConfig config) {
        GatewayConfig.Backend backend = config.backend();
        this.configured = new Backend(backend.name(), backend.baseUrl(), backend.apiKey());
        Duration ttl = config.models().cacheTtl();
        this.routesByOperator = Caffeine.newBuilder()
                .maximumSize(MAX_OPERATORS)
                .expireAfterWrite(ttl)
                .refreshAfterWrite(ttl.dividedBy(2))
                .buildAsync((operatorId, executor) -> load(pool, operatorId).toCompletionStage().toCompletableFuture());
    }

    /** The gateway's configured backend, which serves every model without a route. */
    public Backend configured() {
        return configured;
    }

    /**
     * The backends that serve {@code model} for operator {@code operatorId}, first choice first; never empty. Fails
     * when the database fails.
     */
    public Future<List<Backend>> candidates(UUID operatorId, String model) {
        return CachedFutures.onCallerContext(routesByOperator.get(operatorId))
                .map(routes -> routes.getOrDefault(model, List.of(configured)));
    }

    private static Future<Map<String, List<Backend>>> load(Pool pool, UUID operatorId) {
        return pool.preparedQuery(ROUTES_OF_OPERATOR).execute(Tuple.of(operatorId)).map(rows -> {
            Map<String, List<Backend>> routes = new HashMap<>();
            for (Row row : rows) {
                routes.computeIfAbsent(row.getString("model_name"), model -> new ArrayList<>()).add(backend(row));
            }
            routes.replaceAll((model, backends) -> List.copyOf(backends));
            return Map.copyOf(routes);
        });
    }

    private static Backend backend(Row row) {
        String name = row.getString("name");
        String keyVariable = row.getString("api_key_env");
        Optional<String> key = Optional.empty();
        if (keyVariable != null) {
            key = Optional.ofNullable(System.getenv(keyVariable)).filter(value -> !value.isBlank());
            if (key.isEmpty()) {
                LOG.warnf("outcome=backend_key_missing backend=%s variable=%s", name, keyVariable);
            }
        }
        return new Backend(name, URI.create(row.getString("base_url")), key, row.getString("backend_model"),
                row.getInteger("max_in_flight"));
    }
}

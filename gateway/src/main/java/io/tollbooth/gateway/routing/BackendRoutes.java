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
 * The backends each model (or alias) of an operator is served by, in priority order, each with the name it knows
 * the model by and its weight, and the model's strategy (tables {@code model_route}, {@code backend} and
 * {@code model_strategy}), read once per operator and TTL like the model catalog. A model with no route is served
 * by the gateway's configured backend alone.
 */
@ApplicationScoped
public class BackendRoutes {

    private static final Logger LOG = Logger.getLogger(BackendRoutes.class);
    private static final String ROUTES_OF_OPERATOR = """
            SELECT r.model_name, r.backend_model, r.weight, b.name, b.base_url, b.api_key_env, b.max_in_flight,
                   s.strategy
            FROM model_route r
            JOIN backend b ON b.id = r.backend_id
            LEFT JOIN model_strategy s ON s.operator_id = r.operator_id AND s.model_name = r.model_name
            WHERE r.operator_id = $1
            ORDER BY r.model_name, r.priority""";
    private static final long MAX_OPERATORS = 10_000;

    private final Backend configured;
    private final AsyncLoadingCache<UUID, Map<String, Route>> routesByOperator;

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

    /** The route of {@code model} for operator {@code operatorId}. Fails when the database fails. */
    public Future<Route> route(UUID operatorId, String model) {
        return CachedFutures.onCallerContext(routesByOperator.get(operatorId))
                .map(routes -> routes.getOrDefault(model, Route.only(configured)));
    }

    private static Future<Map<String, Route>> load(Pool pool, UUID operatorId) {
        return pool.preparedQuery(ROUTES_OF_OPERATOR).execute(Tuple.of(operatorId)).map(rows -> {
            Map<String, List<Backend>> backends = new HashMap<>();
            Map<String, RouteStrategy> strategies = new HashMap<>();
            for (Row row : rows) {
                String model = row.getString("model_name");
                backends.computeIfAbsent(model, name -> new ArrayList<>()).add(backend(row));
                strategies.put(model, RouteStrategy.of(row.getString("strategy")));
            }
            Map<String, Route> routes = new HashMap<>();
            backends.forEach((model, list) -> routes.put(model, new Route(strategies.get(model), List.copyOf(list))));
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
                row.getInteger("max_in_flight"), row.getInteger("weight"));
    }
}

package io.tollbooth.gateway.limits;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollbooth.gateway.CachedFutures;
import io.tollbooth.usage.event.TokenKind;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The price rows of each (plan, model), read once per {@code tollbooth.gateway.limits.cache-ttl} for budget
 * admission. The rating in the control plane stays the authority on what a request costs; these prices only size
 * reservations and the running spend.
 */
@ApplicationScoped
public class PriceCatalog {

    private static final long MAX_ENTRIES = 100_000;
    private static final String PRICES_OF_MODEL = """
            SELECT p.token_kind, p.price_per_million, p.currency, p.effective_from
            FROM price p
            JOIN model m ON m.id = p.model_id
            WHERE p.price_plan_id = $1 AND m.operator_id = $2 AND m.name = $3""";

    private final AsyncLoadingCache<PlanModel, ModelPrices> prices;

    PriceCatalog(Pool pool, LimitsConfig config) {
        Duration ttl = config.cacheTtl();
        this.prices = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfterWrite(ttl)
                .refreshAfterWrite(ttl.dividedBy(2))
                .buildAsync((key, executor) -> load(pool, key).toCompletionStage().toCompletableFuture());
    }

    /** The prices of model {@code model} (a name in the operator's catalogue) in plan {@code planId}. */
    Future<ModelPrices> of(UUID planId, UUID operatorId, String model) {
        return CachedFutures.onCallerContext(prices.get(new PlanModel(planId, operatorId, model)));
    }

    private static Future<ModelPrices> load(Pool pool, PlanModel key) {
        return pool.preparedQuery(PRICES_OF_MODEL).execute(Tuple.of(key.planId(), key.operatorId(), key.model()))
                .map(rows -> {
                    List<ModelPrices.PricePoint> points = new ArrayList<>();
                    for (Row row : rows) {
                        points.add(new ModelPrices.PricePoint(TokenKind.ofCode(row.getString("token_kind")),
                                row.getBigDecimal("price_per_million"), row.getString("currency").trim(),
                                row.getOffsetDateTime("effective_from").toInstant()));
                    }
                    return new ModelPrices(points);
                });
    }

    private record PlanModel(UUID planId, UUID operatorId, String model) {
    }
}

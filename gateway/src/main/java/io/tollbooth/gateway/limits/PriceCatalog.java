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
 * The price rows of each (client, plan, model), read once per {@code tollbooth.gateway.limits.cache-ttl} for
 * budget admission: the plan's prices (table {@code price}) and the prices agreed with the client (table
 * {@code client_price}), which override the plan for the model from their first effective instant. The rating in
 * the control plane stays the authority on what a request costs; these prices only size reservations and the
 * running spend.
 */
@ApplicationScoped
public class PriceCatalog {

    private static final long MAX_ENTRIES = 100_000;
    /** Token prices only: a request or audio-second price does not size a token budget. */
    private static final String PRICES_OF_MODEL = """
            SELECT false AS agreed, p.token_kind AS kind, p.price_per_million AS per_million, p.currency,
                   p.effective_from
            FROM price p
            JOIN model m ON m.id = p.model_id
            WHERE p.price_plan_id = $1 AND m.operator_id = $2 AND m.name = $3
            UNION ALL
            SELECT true, cp.unit, cp.unit_price, cp.currency, cp.effective_from
            FROM client_price cp
            JOIN model m ON m.id = cp.model_id
            WHERE cp.client_id = $4 AND m.operator_id = $2 AND m.name = $3
              AND cp.unit IN ('input', 'cached_input', 'cache_write', 'output')""";

    private final AsyncLoadingCache<ClientModel, ModelPrices> prices;

    PriceCatalog(Pool pool, LimitsConfig config) {
        Duration ttl = config.cacheTtl();
        this.prices = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfterWrite(ttl)
                .refreshAfterWrite(ttl.dividedBy(2))
                .buildAsync((key, executor) -> load(pool, key).toCompletionStage().toCompletableFuture());
    }

    /**
     * The prices of model {@code model} (a name in the operator's catalogue) for client {@code clientId}, whose plan
     * is {@code planId}.
     */
    Future<ModelPrices> of(UUID clientId, UUID planId, UUID operatorId, String model) {
        return CachedFutures.onCallerContext(prices.get(new ClientModel(clientId, planId, operatorId, model)));
    }

    private static Future<ModelPrices> load(Pool pool, ClientModel key) {
        return pool.preparedQuery(PRICES_OF_MODEL)
                .execute(Tuple.of(key.planId(), key.operatorId(), key.model(), key.clientId()))
                .map(rows -> {
                    List<ModelPrices.PricePoint> plan = new ArrayList<>();
                    List<ModelPrices.PricePoint> agreed = new ArrayList<>();
                    for (Row row : rows) {
                        (row.getBoolean("agreed") ? agreed : plan).add(new ModelPrices.PricePoint(
                                TokenKind.ofCode(row.getString("kind")), row.getBigDecimal("per_million"),
                                row.getString("currency").trim(), row.getOffsetDateTime("effective_from").toInstant()));
                    }
                    return new ModelPrices(plan, agreed);
                });
    }

    private record ClientModel(UUID clientId, UUID planId, UUID operatorId, String model) {
    }
}

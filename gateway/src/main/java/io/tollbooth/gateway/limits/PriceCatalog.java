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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The price rows of each (client, plan, model), read once per {@code tollbooth.gateway.limits.cache-ttl} for
 * budget admission: the plan's prices (table {@code price}), the prices agreed with the client (table
 * {@code client_price}), which override the plan for the model from their first effective instant, and the
 * operator's costs with the client's markups (tables {@code cost_price}, {@code client_markup}), which price what
 * neither does (see {@link ModelPrices}). The rating in
 * the control plane stays the authority on what a request costs; these prices only size reservations and the
 * running spend.
 */
@ApplicationScoped
public class PriceCatalog {

    private static final long MAX_ENTRIES = 100_000;
    /** Token prices only: a request or audio-second price does not size a token budget. */
    private static final String PRICES_OF_MODEL = """
            SELECT 'plan' AS source, p.token_kind AS kind, p.price_per_million AS per_million, p.currency,
                   p.effective_from, 0::bigint AS revision
            FROM price p
            JOIN model m ON m.id = p.model_id
            WHERE p.price_plan_id = $1 AND m.operator_id = $2 AND m.name = $3
            UNION ALL
            SELECT 'agreed', cp.unit, cp.unit_price, cp.currency, cp.effective_from, 0
            FROM client_price cp
            JOIN model m ON m.id = cp.model_id
            WHERE cp.client_id = $4 AND m.operator_id = $2 AND m.name = $3
              AND cp.unit IN ('input', 'cached_input', 'cache_write', 'output')
            UNION ALL
            SELECT 'cost', c.unit, c.unit_price, c.currency, c.effective_from, c.revision
            FROM cost_price c
            JOIN model m ON m.id = c.model_id
            WHERE c.operator_id = $2 AND m.operator_id = $2 AND m.name = $3
              AND c.unit IN ('input', 'cached_input', 'cache_write', 'output')
            UNION ALL
            SELECT 'markup', NULL, mk.markup_percent, NULL, mk.effective_from, mk.revision
            FROM client_markup mk
            WHERE mk.client_id = $4""";

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
                    List<ModelPrices.PricePoint> costs = new ArrayList<>();
                    List<ModelPrices.MarkupPoint> markups = new ArrayList<>();
                    for (Row row : rows) {
                        Instant from = row.getOffsetDateTime("effective_from").toInstant();
                        String source = row.getString("source");
                        if (source.equals("markup")) {
                            markups.add(new ModelPrices.MarkupPoint(row.getBigDecimal("per_million"), from,
                                    row.getLong("revision")));
                            continue;
                        }
                        List<ModelPrices.PricePoint> into = switch (source) {
                            case "plan" -> plan;
                            case "agreed" -> agreed;
                            default -> costs;
                        };
                        into.add(new ModelPrices.PricePoint(TokenKind.ofCode(row.getString("kind")),
                                row.getBigDecimal("per_million"), row.getString("currency").trim(), from));
                    }
                    return new ModelPrices(plan, agreed, costs, markups);
                });
    }

    private record ClientModel(UUID clientId, UUID planId, UUID operatorId, String model) {
    }
}

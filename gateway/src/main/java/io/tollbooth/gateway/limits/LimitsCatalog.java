package io.tollbooth.gateway.limits;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollbooth.gateway.CachedFutures;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The limits of each API key and its client (tables {@code client_limit} and {@code api_key_limit}), read once per
 * key and {@code tollbooth.gateway.limits.cache-ttl}, refreshed in the background after half of it, so a hot key
 * costs no database round trip. The client's plan is the one that bills it now: its latest move to another plan
 * ({@code client_plan_change}) already effective, else its plan at creation; a move takes effect here within the
 * cache's lifetime after its instant.
 */
@ApplicationScoped
public class LimitsCatalog {

    private static final Logger LOG = Logger.getLogger(LimitsCatalog.class);
    private static final long MAX_KEYS = 100_000;
    private static final String LIMITS_OF_KEY = """
            SELECT c.id AS client_id, c.operator_id, c.currency, c.time_zone,
                   COALESCE((SELECT ch.price_plan_id FROM client_plan_change ch
                             WHERE ch.client_id = c.id AND ch.effective_from <= now()
                             ORDER BY ch.effective_from DESC, ch.revision DESC LIMIT 1),
                            c.price_plan_id) AS price_plan_id,
                   cl.requests_per_minute AS c_rpm, cl.tokens_per_minute AS c_tpm, cl.max_in_flight AS c_in_flight,
                   cl.budget_amount AS c_budget, cl.budget_currency AS c_budget_currency,
                   kl.requests_per_minute AS k_rpm, kl.tokens_per_minute AS k_tpm, kl.max_in_flight AS k_in_flight,
                   kl.budget_amount AS k_budget, kl.budget_currency AS k_budget_currency
            FROM api_key k
            JOIN client c ON c.id = k.client_id
            LEFT JOIN client_limit cl ON cl.client_id = c.id
            LEFT JOIN api_key_limit kl ON kl.api_key_id = k.id
            WHERE k.id = $1""";

    private final AsyncLoadingCache<UUID, KeyLimits> limits;

    LimitsCatalog(Pool pool, LimitsConfig config) {
        Duration ttl = config.cacheTtl();
        this.limits = Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .expireAfterWrite(ttl)
                .refreshAfterWrite(ttl.dividedBy(2))
                .buildAsync((keyId, executor) -> load(pool, keyId).toCompletionStage().toCompletableFuture());
    }

    /** The limits that apply to key {@code keyId}; fails when the database fails or the key is gone. */
    public Future<KeyLimits> of(UUID keyId) {
        return CachedFutures.onCallerContext(limits.get(keyId));
    }

    private static Future<KeyLimits> load(Pool pool, UUID keyId) {
        return pool.preparedQuery(LIMITS_OF_KEY).execute(Tuple.of(keyId)).map(rows -> {
            RowIterator<Row> iterator = rows.iterator();
            if (!iterator.hasNext()) {
                throw new IllegalStateException("no api_key row " + keyId);
            }
            return toLimits(keyId, iterator.next());
        });
    }

    private static KeyLimits toLimits(UUID keyId, Row row) {
        UUID clientId = row.getUUID("client_id");
        Currency currency = Currency.getInstance(row.getString("currency").trim());
        return new KeyLimits(keyId, clientId, row.getUUID("operator_id"), row.getUUID("price_plan_id"), currency,
                zone(clientId, row.getString("time_zone")),
                scope(row, "c_", currency, "client " + clientId),
                scope(row, "k_", currency, "api key " + keyId));
    }

    private static ScopeLimits scope(Row row, String prefix, Currency currency, String owner) {
        Long tokensPerMinute = row.getLong(prefix + "tpm");
        return new ScopeLimits(row.getInteger(prefix + "rpm"), tokensPerMinute, row.getInteger(prefix + "in_flight"),
                budget(row.getBigDecimal(prefix + "budget"), row.getString(prefix + "budget_currency"), currency,
                        owner));
    }

    /**
     * The budget, when it can be enforced: in the client's currency and within what a counter holds exactly.
     * Any other budget is logged at ERROR and not enforced, since it cannot be compared with the client's charges.
     */
    private static BigDecimal budget(BigDecimal amount, String budgetCurrency, Currency currency, String owner) {
        if (amount == null) {
            return null;
        }
        if (!currency.getCurrencyCode().equals(budgetCurrency.trim())) {
            LOG.errorf("outcome=budget_not_enforced reason=currency_mismatch owner=\"%s\" budget_currency=%s "
                    + "client_currency=%s", owner, budgetCurrency.trim(), currency.getCurrencyCode());
            return null;
        }
        if (MoneyUnits.of(currency).ceiling(amount) >= MoneyUnits.MAX_UNITS) {
            LOG.errorf("outcome=budget_not_enforced reason=too_large owner=\"%s\" budget=%s %s", owner,
                    amount.toPlainString(), currency.getCurrencyCode());
            return null;
        }
        return amount;
    }

    private static ZoneId zone(UUID clientId, String timeZone) {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            LOG.errorf("outcome=invalid_time_zone client=%s time_zone=\"%s\" using=UTC", clientId, timeZone);
            return ZoneOffset.UTC;
        }
    }
}

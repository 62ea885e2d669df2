package io.tollbooth.gateway.limits;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.UUID;

/**
 * What a client, or one of its keys, has been charged in a billing period, summed from the rated ledger
 * ({@code rated_usage}): the value a spend counter is seeded with. Rated amounts are the plan's prices with no
 * markup yet, so they are the client charge as they stand.
 */
@ApplicationScoped
public class SpendLedger {

    private static final String CLIENT_SPEND = """
            SELECT COALESCE(SUM(amount), 0) AS spent FROM rated_usage
            WHERE client_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND currency = $4""";
    private static final String KEY_SPEND = """
            SELECT COALESCE(SUM(r.amount), 0) AS spent FROM rated_usage r
            JOIN usage_event e ON e.id = r.usage_event_id
            WHERE r.client_id = $1 AND e.api_key_id = $2 AND r.occurred_at >= $3 AND r.occurred_at < $4
              AND r.currency = $5""";

    private final Pool pool;

    SpendLedger(Pool pool) {
        this.pool = pool;
    }

    /** The client's rated charge in {@code period}, in {@code currency}. */
    Future<BigDecimal> clientSpend(UUID clientId, BillingPeriod period, Currency currency) {
        return pool.preparedQuery(CLIENT_SPEND)
                .execute(Tuple.of(clientId, period.start().atOffset(ZoneOffset.UTC),
                        period.end().atOffset(ZoneOffset.UTC), currency.getCurrencyCode()))
                .map(rows -> rows.iterator().next().getBigDecimal("spent"));
    }

    /** The rated charge of key {@code keyId}'s requests in {@code period}, in {@code currency}. */
    Future<BigDecimal> keySpend(UUID clientId, UUID keyId, BillingPeriod period, Currency currency) {
        return pool.preparedQuery(KEY_SPEND)
                .execute(Tuple.of(clientId, keyId, period.start().atOffset(ZoneOffset.UTC),
                        period.end().atOffset(ZoneOffset.UTC), currency.getCurrencyCode()))
                .map(rows -> rows.iterator().next().getBigDecimal("spent"));
    }
}

package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import io.tollbooth.usage.event.TokenKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/** Sums a client's rated usage over a billing period, in the database, at full precision. */
@ApplicationScoped
public class RatedUsageTotals {

    // One group per model, token kind and unit price, so a price change within the month gives its own line.
    // Kinds are listed in TokenKind order; two prices of the same kind in the order they were first used.
    private static final String LINE_TOTALS = """
            SELECT m.name, r.token_kind, r.price_per_million, r.currency, SUM(r.quantity), SUM(r.amount)
              FROM rated_usage r
              JOIN model m ON m.id = r.model_id
             WHERE r.client_id = ? AND r.occurred_at >= ? AND r.occurred_at < ?
             GROUP BY m.name, r.token_kind, r.price_per_million, r.currency
            HAVING SUM(r.quantity) > 0
             ORDER BY m.name,
                      CASE r.token_kind WHEN 'input' THEN 1 WHEN 'cached_input' THEN 2
                                        WHEN 'cache_write' THEN 3 ELSE 4 END,
                      MIN(r.occurred_at), r.price_per_million
            """;

    private static final String UNPRICED = """
            SELECT requested_model, COUNT(*)
              FROM usage_event
             WHERE client_id = ? AND occurred_at >= ? AND occurred_at < ? AND rating_status = 'UNPRICED'
             GROUP BY requested_model
             ORDER BY requested_model
            """;

    private final AgroalDataSource dataSource;

    RatedUsageTotals(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The client's line totals for the period, unrounded, in invoice order. */
    public List<LineTotal> lineTotals(UUID clientId, BillingPeriod period) {
        return Sql.query(dataSource, LINE_TOTALS, rs -> new LineTotal(
                rs.getString(1),
                TokenKind.ofCode(rs.getString(2)),
                rs.getBigDecimal(3),
                Currency.getInstance(rs.getString(4).trim()),
                rs.getLong(5),
                rs.getBigDecimal(6)), clientId, period.start(), period.end());
    }

    /** The client's usage events in the period that could not be priced, counted per requested model. */
    public List<UnpricedUsage> unpriced(UUID clientId, BillingPeriod period) {
        return Sql.query(dataSource, UNPRICED, rs -> new UnpricedUsage(rs.getString(1), rs.getLong(2)),
                clientId, period.start(), period.end());
    }

    /**
     * Usage events of one requested model that metering could not price.
     *
     * @param model the model the client asked for
     * @param events how many events
     */
    public record UnpricedUsage(String model, long events) {
    }
}

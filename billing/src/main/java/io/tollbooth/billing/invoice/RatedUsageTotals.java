package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/**
 * Links a client's rated usage to the invoice that bills it and sums it per future invoice line, in the database,
 * at full precision.
 *
 * <p>An invoice takes the rows first ({@link #link}) and then sums exactly the rows it took, so a row that metering
 * stores in between is either on the invoice or left for the next one, never counted without being linked.
 */
@ApplicationScoped
public class RatedUsageTotals {

    // The period's own rows, and the late rows: those of an earlier period whose invoice was issued (or voided)
    // without them because they were rated after it was made. Rows of a period that has no invoice, or only a
    // draft (which its regeneration would pick up), are left alone.
    private static final String LINK = """
            UPDATE rated_usage r SET invoice_id = ?
             WHERE r.client_id = ? AND r.invoice_id IS NULL AND r.occurred_at < ?
               AND (r.occurred_at >= ?
                    OR EXISTS (SELECT 1 FROM invoice i
                                WHERE i.client_id = r.client_id AND i.status <> 'DRAFT'
                                  AND r.occurred_at >= (i.period_start::timestamp AT TIME ZONE i.time_zone)
                                  AND r.occurred_at < (i.period_end::timestamp AT TIME ZONE i.time_zone)))
            """;

    // One group per model, unit and unit price, so a price change within the month gives its own line. Units are
    // listed in LineUnit order (token kinds, requests, audio seconds); two prices of one unit in the order they were
    // first used.
    private static final String UNIT_ORDER = LineUnit.sqlOrder("r.token_kind");

    private static final String LINE_TOTALS = """
            SELECT m.name, r.token_kind, r.price_per_million, r.currency, SUM(r.quantity), SUM(r.amount)
              FROM rated_usage r
              JOIN model m ON m.id = r.model_id
             WHERE r.invoice_id = ? AND r.occurred_at >= ?
             GROUP BY m.name, r.token_kind, r.price_per_million, r.currency
            HAVING SUM(r.quantity) > 0
             ORDER BY m.name, %s, MIN(r.occurred_at), r.price_per_million
            """.formatted(UNIT_ORDER);

    // Late rows, one group per day in the client's zone, model, unit and unit price.
    private static final String LATE_TOTALS = """
            SELECT m.name, r.token_kind, r.price_per_million, r.currency, SUM(r.quantity), SUM(r.amount),
                   (r.occurred_at AT TIME ZONE ?)::date AS day
              FROM rated_usage r
              JOIN model m ON m.id = r.model_id
             WHERE r.invoice_id = ? AND r.occurred_at < ?
             GROUP BY day, m.name, r.token_kind, r.price_per_million, r.currency
            HAVING SUM(r.quantity) > 0
             ORDER BY day, m.name, %s, r.price_per_million
            """.formatted(UNIT_ORDER);

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

    /**
     * Links the client's unbilled rows of the period, and its late rows of earlier invoiced periods, to the invoice.
     *
     * @return the number of rows linked
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int link(UUID invoiceId, UUID clientId, BillingPeriod period) {
        return Sql.update(dataSource, LINK, invoiceId, clientId, period.end(), period.start());
    }

    /** Releases every row the invoice had taken, before a draft is regenerated. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int unlink(UUID invoiceId) {
        return Sql.update(dataSource, "UPDATE rated_usage SET invoice_id = NULL WHERE invoice_id = ?", invoiceId);
    }

    /** The invoice's line totals of its own period's usage, unrounded, in invoice order. */
    public List<LineTotal> lineTotals(UUID invoiceId, BillingPeriod period) {
        return Sql.query(dataSource, LINE_TOTALS, rs -> new LineTotal(
                rs.getString(1),
                LineUnit.ofCode(rs.getString(2)),
                rs.getBigDecimal(3),
                Currency.getInstance(rs.getString(4).trim()),
                rs.getLong(5),
                rs.getBigDecimal(6),
                null), invoiceId, period.start());
    }

    /** The invoice's line totals of late usage from earlier periods, per day in the period's zone, unrounded. */
    public List<LineTotal> lateLineTotals(UUID invoiceId, BillingPeriod period) {
        return Sql.query(dataSource, LATE_TOTALS, rs -> new LineTotal(
                rs.getString(1),
                LineUnit.ofCode(rs.getString(2)),
                rs.getBigDecimal(3),
                Currency.getInstance(rs.getString(4).trim()),
                rs.getLong(5),
                rs.getBigDecimal(6),
                rs.getObject(7, LocalDate.class)), period.zone().getId(), invoiceId, period.start());
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

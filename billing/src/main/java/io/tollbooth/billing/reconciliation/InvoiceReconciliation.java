package io.tollbooth.billing.reconciliation;

import io.agroal.api.AgroalDataSource;
import io.tollbooth.billing.invoice.BillingPeriod;
import io.tollbooth.billing.invoice.Invoice;
import io.tollbooth.billing.invoice.InvoiceLine;
import io.tollbooth.billing.invoice.InvoiceTax;
import io.tollbooth.billing.invoice.LineTotal;
import io.tollbooth.billing.invoice.LineType;
import io.tollbooth.billing.invoice.RatedUsageTotals;
import io.tollbooth.billing.invoice.RatingAdjustments;
import io.tollbooth.billing.money.CurrencyRounding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Traces invoices from the client's usage events to Stripe and lists every difference: events of the period that
 * are on no invoice, lines that are not their rated usage rounded once, totals that do not add up, and Stripe
 * amounts other than the amount due. It only reads; finance decides what to correct.
 */
@ApplicationScoped
public class InvoiceReconciliation {

    private static final Logger LOG = Logger.getLogger(InvoiceReconciliation.class);

    // One round trip for the counts and sums of an invoice: events left out of it, its rated usage, and Stripe.
    // Whether an event is on an invoice is read through its own rows (the index on usage_event_id): a condition on
    // invoice_id in the subquery let the planner walk every invoiced row of the ledger per event instead.
    private static final String COUNTS = """
            SELECT e.unpriced, e.uninvoiced, r.events, r.amount,
                   (SELECT sum(amount) FROM stripe_invoice_item WHERE invoice_id = ?),
                   (SELECT paid_amount FROM invoice_payment WHERE invoice_id = ?)
              FROM (SELECT count(*) FILTER (WHERE e.rating_status = 'UNPRICED') AS unpriced,
                           count(*) FILTER (WHERE e.rating_status = 'RATED' AND NOT coalesce(
                               (SELECT bool_or(r.invoice_id IS NOT NULL) FROM rated_usage r
                                 WHERE r.usage_event_id = e.id), false)) AS uninvoiced
                      FROM usage_event e
                     WHERE e.client_id = ? AND e.occurred_at >= ? AND e.occurred_at < ?) e,
                   (SELECT count(DISTINCT usage_event_id) AS events, coalesce(sum(amount), 0) AS amount
                      FROM rated_usage WHERE invoice_id = ?) r
            """;

    private final AgroalDataSource dataSource;
    private final RatedUsageTotals usage;
    private final RatingAdjustments adjustments;

    InvoiceReconciliation(AgroalDataSource dataSource, RatedUsageTotals usage, RatingAdjustments adjustments) {
        this.dataSource = dataSource;
        this.usage = usage;
        this.adjustments = adjustments;
    }

    /** The invoice traced from usage to Stripe; empty if there is no invoice with this id. */
    @Transactional
    public Optional<ReconciliationReport> of(UUID invoiceId) {
        return Invoice.<Invoice>findByIdOptional(invoiceId).map(this::reconcile);
    }

    /**
     * The invoices with these ids traced from usage to Stripe, in one transaction, in the order given; ids of no
     * invoice are left out.
     */
    @Transactional
    public List<ReconciliationReport> ofAll(List<UUID> invoiceIds) {
        // Two queries load every invoice with its lines and taxes, instead of three per invoice.
        Map<UUID, Invoice> invoices = new HashMap<>();
        Invoice.<Invoice>list("from Invoice i left join fetch i.lines where i.id in ?1", invoiceIds)
                .forEach(invoice -> invoices.put(invoice.id, invoice));
        Invoice.list("from Invoice i left join fetch i.taxes where i.id in ?1", invoiceIds);
        List<ReconciliationReport> reports = new ArrayList<>(invoiceIds.size());
        for (UUID invoiceId : invoiceIds) {
            Optional.ofNullable(invoices.get(invoiceId)).map(this::reconcile).ifPresent(reports::add);
        }
        return reports;
    }

    /** Every invoice of the operator for periods starting in {@code month}, by number (drafts last). */
    @Transactional
    public List<ReconciliationReport> ofOperatorMonth(UUID operatorId, YearMonth month) {
        return Invoice.listForOperatorMonth(operatorId, month).stream().map(this::reconcile).toList();
    }

    private ReconciliationReport reconcile(Invoice invoice) {
        BillingPeriod period = invoice.period();
        Currency currency = invoice.currency();
        List<Difference> differences = new ArrayList<>();
        Object[] counts = queryOne(COUNTS, invoice.id, invoice.id, invoice.clientId, period.start(), period.end(),
                invoice.id);

        eventsLeftOut(counts, differences);

        List<LineTotal> rated = new ArrayList<>(usage.lineTotals(invoice.id, period));
        rated.addAll(usage.lateLineTotals(invoice.id, period));
        compareLines(invoice, rated, currency, differences);
        compareRerating(invoice, currency, differences);

        BigDecimal linesAmount = invoice.lines.stream().map(line -> line.amount).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        compareTotals(invoice, linesAmount, currency, differences);

        BigDecimal stripeAmount = stripeAmount(invoice, (BigDecimal) counts[4], (BigDecimal) counts[5], differences);
        ReconciliationReport report = new ReconciliationReport(invoice.id, invoice.number, invoice.clientId,
                invoice.periodStart, invoice.periodEnd, invoice.currency, ((Number) counts[2]).longValue(),
                (BigDecimal) counts[3], linesAmount, invoice.amountDue, stripeAmount, List.copyOf(differences));
        if (!report.balanced()) {
            LOG.warnf("reconciliation differences invoice=%s number=%s count=%d first='%s'", invoice.id,
                    invoice.number, differences.size(), differences.get(0));
        }
        return report;
    }

    private static void eventsLeftOut(Object[] counts, List<Difference> differences) {
        long unpriced = ((Number) counts[0]).longValue();
        long uninvoiced = ((Number) counts[1]).longValue();
        if (unpriced > 0) {
            differences.add(new Difference(Stage.EVENTS_TO_RATED, "usage events of the period left unpriced", "0",
                    Long.toString(unpriced)));
        }
        if (uninvoiced > 0) {
            // Usage rated after the invoice was issued: the next invoice bills it as late usage.
            differences.add(new Difference(Stage.EVENTS_TO_RATED, "rated usage events of the period on no invoice",
                    "0", Long.toString(uninvoiced)));
        }
    }

    private static void compareLines(Invoice invoice, List<LineTotal> rated, Currency currency,
            List<Difference> differences) {
        Map<String, InvoiceLine> lines = new LinkedHashMap<>();
        for (InvoiceLine line : invoice.lines) {
            if (line.type == LineType.USAGE || line.type == LineType.LATE_USAGE) {
                lines.put(key(line.model, line.unitCode, line.unitPrice, line.usageDate), line);
            }
        }
        for (LineTotal total : rated) {
            String key = key(total.model(), total.unit().code(), total.unitPrice(), total.usageDate());
            BigDecimal expected = CurrencyRounding.toMinorUnit(total.fullPrecisionAmount(), currency);
            InvoiceLine line = lines.remove(key);
            if (line == null) {
                differences.add(new Difference(Stage.RATED_TO_LINES, key, expected.toPlainString(), "missing"));
                continue;
            }
            if (!Objects.equals(line.quantity, total.quantity())) {
                differences.add(new Difference(Stage.RATED_TO_LINES, "line " + line.lineNo + " (" + key
                        + ") quantity", Long.toString(total.quantity()), String.valueOf(line.quantity)));
            }
            if (line.amount.compareTo(expected) != 0) {
                differences.add(new Difference(Stage.RATED_TO_LINES, "line " + line.lineNo + " (" + key + ")",
                        expected.toPlainString(), line.amount.toPlainString()));
            }
        }
        for (InvoiceLine line : lines.values()) {
            differences.add(new Difference(Stage.RATED_TO_LINES, "line " + line.lineNo + " ("
                    + key(line.model, line.unitCode, line.unitPrice, line.usageDate) + ")", "missing",
                    line.amount.toPlainString()));
        }
    }

    // Re-rating lines must be the differences the invoice took, each rounded once.
    private void compareRerating(Invoice invoice, Currency currency, List<Difference> differences) {
        BigDecimal expected = adjustments.billedOn(invoice.id, currency);
        BigDecimal actual = invoice.lines.stream().filter(line -> line.type == LineType.RERATING)
                .map(line -> line.amount).reduce(CurrencyRounding.toMinorUnit(BigDecimal.ZERO, currency),
                        BigDecimal::add);
        if (expected.compareTo(actual) != 0) {
            differences.add(new Difference(Stage.RATED_TO_LINES, "re-rating lines", expected.toPlainString(),
                    actual.toPlainString()));
        }
    }

    private static void compareTotals(Invoice invoice, BigDecimal linesAmount, Currency currency,
            List<Difference> differences) {
        check(differences, "subtotal", linesAmount, invoice.subtotal);
        BigDecimal taxes = BigDecimal.ZERO;
        for (InvoiceTax tax : invoice.taxes) {
            BigDecimal expected = tax.reverseChargeNote != null ? BigDecimal.ZERO
                    : CurrencyRounding.percentOf(invoice.subtotal, tax.percent, currency);
            check(differences, "tax " + tax.name + " " + tax.percent.stripTrailingZeros().toPlainString() + "%",
                    expected, tax.amount);
            taxes = taxes.add(tax.amount);
        }
        check(differences, "tax total", taxes, invoice.taxTotal);
        check(differences, "total", invoice.subtotal.add(invoice.taxTotal), invoice.total);
        check(differences, "amount due", invoice.total.subtract(invoice.creditApplied), invoice.amountDue);
    }

    private static BigDecimal stripeAmount(Invoice invoice, BigDecimal items, BigDecimal paid,
            List<Difference> differences) {
        if (items != null && items.compareTo(invoice.amountDue) != 0) {
            differences.add(new Difference(Stage.TOTALS_TO_STRIPE, "Stripe invoice items",
                    invoice.amountDue.toPlainString(), items.toPlainString()));
        }
        if (paid != null && paid.compareTo(invoice.amountDue) != 0) {
            differences.add(new Difference(Stage.TOTALS_TO_STRIPE, "paid at Stripe", invoice.amountDue.toPlainString(),
                    paid.toPlainString()));
        }
        return items != null ? items : paid;
    }

    private static void check(List<Difference> differences, String subject, BigDecimal expected, BigDecimal actual) {
        if (expected.compareTo(actual) != 0) {
            differences.add(new Difference(Stage.LINES_TO_TOTALS, subject, expected.toPlainString(),
                    actual.toPlainString()));
        }
    }

    private static String key(String model, String unit, BigDecimal unitPrice, LocalDate usageDate) {
        return model + " " + unit + " at " + unitPrice.stripTrailingZeros().toPlainString()
                + (usageDate == null ? "" : " of " + usageDate);
    }

    private Object[] queryOne(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                statement.setObject(i + 1, parameter instanceof Instant instant
                        ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : parameter);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Object[] row = new Object[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                return row;
            }
        } catch (SQLException e) {
            throw new PersistenceException("reconciliation query failed: " + e.getMessage(), e);
        }
    }
}

package io.tollbooth.billing.payment;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes finalized invoices with plain SQL, exactly as billing stores them, so that payment tests control every
 * amount (lines, taxes, credit, amount due) without going through the invoice run.
 */
@ApplicationScoped
public class PaymentFixtures {

    private final AgroalDataSource dataSource;

    PaymentFixtures(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A client of an operator. */
    public record Client(UUID id, UUID operatorId, String slug, String currency) {
    }

    /** One tax of an invoice: name, percent and amount. */
    public record Tax(String name, String percent, String amount) {
    }

    /** An invoice as written: its id and number. */
    public record FinalizedInvoice(UUID id, String number) {
    }

    /** Empties every table; TRUNCATE ... CASCADE reaches everything that refers to an operator. */
    public void clear() {
        update("TRUNCATE operator CASCADE");
    }

    /** An operator with one client billed in {@code currency}. */
    public Client client(String operatorSlug, String clientSlug, String clientName, String currency) {
        UUID operatorId = UUID.randomUUID();
        update("INSERT INTO operator (id, slug, name, currency) VALUES (?, ?, ?, 'USD')", operatorId, operatorSlug,
                operatorSlug + " inference");
        UUID planId = UUID.randomUUID();
        update("INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, ?, ?)", planId, operatorId,
                "plan-" + clientSlug, currency);
        UUID clientId = UUID.randomUUID();
        update("INSERT INTO client (id, operator_id, slug, name, currency, time_zone, price_plan_id) VALUES (?, ?, ?,"
                + " ?, ?, 'UTC', ?)", clientId, operatorId, clientSlug, clientName, currency, planId);
        return new Client(clientId, operatorId, clientSlug, currency);
    }

    /** A finalized invoice with one usage line per amount, no tax and no credit. */
    public FinalizedInvoice invoice(Client client, String number, Instant finalizedAt, String... lineAmounts) {
        return invoice(client, number, finalizedAt, List.of(lineAmounts), List.of(), "0");
    }

    /**
     * A finalized invoice of the client's next earlier month (May 2026 first): one usage line per amount ("gpt-4o
     * line n"), the taxes, and the credit applied; total and amount due computed as billing does.
     */
    public FinalizedInvoice invoice(Client client, String number, Instant finalizedAt, List<String> lineAmounts,
            List<Tax> taxes, String creditApplied) {
        BigDecimal subtotal = lineAmounts.stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal taxTotal = taxes.stream().map(t -> new BigDecimal(t.amount())).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        BigDecimal total = subtotal.add(taxTotal);
        BigDecimal credit = new BigDecimal(creditApplied);
        UUID id = UUID.randomUUID();
        // May 2026 for a client's first invoice, April for its second, and so on: one invoice per period.
        LocalDate periodStart = LocalDate.of(2026, 5, 1).minusMonths(Long.parseLong(queryOne(
                "SELECT COUNT(*)::text FROM invoice WHERE client_id = ?", client.id())));
        update("""
                INSERT INTO invoice (id, operator_id, client_id, number, status, period_start, period_end, time_zone,
                    currency, subtotal, tax_total, total, credit_applied, amount_due, created_at, finalized_at,
                    issue_date)
                VALUES (?, ?, ?, ?, 'FINALIZED', ?, ?, 'UTC', ?, ?, ?, ?, ?, ?, ?, ?, ?)""", id, client.operatorId(),
                client.id(), number, periodStart, periodStart.plusMonths(1), client.currency(), subtotal,
                taxTotal, total, credit, total.subtract(credit), timestamp(finalizedAt), timestamp(finalizedAt),
                LocalDate.ofInstant(finalizedAt, ZoneOffset.UTC));
        for (int i = 0; i < lineAmounts.size(); i++) {
            update("""
                    INSERT INTO invoice_line (invoice_id, line_no, model, token_kind, description, quantity,
                        price_per_million, amount, currency)
                    VALUES (?, ?, 'gpt-4o', 'input', ?, 1000000, ?, ?, ?)""", id, i + 1, "gpt-4o line " + (i + 1),
                    new BigDecimal(lineAmounts.get(i)), new BigDecimal(lineAmounts.get(i)), client.currency());
        }
        for (int i = 0; i < taxes.size(); i++) {
            Tax tax = taxes.get(i);
            update("""
                    INSERT INTO invoice_tax (invoice_id, position, name, percent, taxable_amount, amount)
                    VALUES (?, ?, ?, ?, ?, ?)""", id, i + 1, tax.name(), new BigDecimal(tax.percent()), subtotal,
                    new BigDecimal(tax.amount()));
        }
        return new FinalizedInvoice(id, number);
    }

    /** Sets an invoice's status directly, as another part of billing would have. */
    public void setStatus(UUID invoiceId, String status) {
        update("UPDATE invoice SET status = ? WHERE id = ?", status, invoiceId);
    }

    /** Renames a client, as the control plane would. */
    public void rename(UUID clientId, String name) {
        update("UPDATE client SET name = ? WHERE id = ?", name, clientId);
    }

    /** The invoice's status as stored. */
    public String status(UUID invoiceId) {
        return queryOne("SELECT status FROM invoice WHERE id = ?", invoiceId);
    }

    /** The charge keys and Stripe item ids recorded for an invoice, by key. */
    public List<Map.Entry<String, String>> recordedItems(UUID invoiceId) {
        return query("SELECT item_key, item_id FROM stripe_invoice_item WHERE invoice_id = ? ORDER BY created_at,"
                + " item_key", rs -> Map.entry(rs.getString(1), rs.getString(2)), invoiceId);
    }

    /** The invoice's audited transitions as "FROM>TO by actor". */
    public List<String> transitions(UUID invoiceId) {
        return query("SELECT from_status, to_status, actor FROM billing_audit WHERE entity_id = ? ORDER BY id",
                rs -> rs.getString(1) + ">" + rs.getString(2) + " by " + rs.getString(3), invoiceId);
    }

    /** How many processed Stripe events have this id (0 or 1). */
    public long processedEvents(String eventId) {
        return Long.parseLong(queryOne("SELECT COUNT(*)::text FROM stripe_event WHERE event_id = ?", eventId));
    }

    /** The outcome recorded for a processed Stripe event. */
    public String eventOutcome(String eventId) {
        return queryOne("SELECT outcome FROM stripe_event WHERE event_id = ?", eventId);
    }

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private String queryOne(String sql, Object... parameters) {
        List<String> rows = query(sql, rs -> rs.getString(1), parameters);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private <T> List<T> query(String sql, Row<T> row, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rs = statement.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.map(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

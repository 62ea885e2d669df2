package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;

/**
 * Hands out document numbers without gaps per operator, one series for invoices and one for credit notes:
 * {@code <OPERATOR SLUG>-<YYYY>-<6-digit sequence>} ({@code ACME-2026-000042}) and
 * {@code CN-<OPERATOR SLUG>-<YYYY>-<6-digit sequence>} ({@code CN-ACME-2026-000003}). A sequence runs on across
 * years; the year is the issue date's.
 *
 * <p>The counter row is incremented in the caller's transaction and stays locked until it ends: a concurrent
 * finalization waits, and a rollback returns the number, so no number is skipped or used twice. Numbers are taken
 * when a document is issued (an invoice at finalization), never for a draft.
 */
@ApplicationScoped
public class InvoiceNumbers {

    /** A numbering series with its own counter table. */
    enum Series {
        INVOICE("invoice_number_counter", ""),
        CREDIT_NOTE("credit_note_number_counter", "CN-");

        private final String takeNext;
        private final String prefix;

        // One statement: the operator's first number creates the counter, every later one increments it, and
        // either way the row stays locked until the caller's transaction ends.
        Series(String table, String prefix) {
            this.takeNext = "INSERT INTO " + table + " AS counter (operator_id, next_value) VALUES (?, 2)"
                    + " ON CONFLICT (operator_id) DO UPDATE SET next_value = counter.next_value + 1"
                    + " RETURNING next_value - 1";
            this.prefix = prefix;
        }
    }

    private final AgroalDataSource dataSource;

    InvoiceNumbers(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes the operator's next invoice number. Must run in the transaction that stores the numbered invoice.
     *
     * @param operatorId the operator that issues the invoice
     * @param operatorSlug the operator's slug; upper-cased as the number's prefix
     * @param issueDate the invoice's issue date; its year is part of the number
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String next(UUID operatorId, String operatorSlug, LocalDate issueDate) {
        return next(Series.INVOICE, operatorId, operatorSlug, issueDate);
    }

    /** Takes the operator's next credit note number; see {@link #next(UUID, String, LocalDate)}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String nextCreditNote(UUID operatorId, String operatorSlug, LocalDate issueDate) {
        return next(Series.CREDIT_NOTE, operatorId, operatorSlug, issueDate);
    }

    private String next(Series series, UUID operatorId, String operatorSlug, LocalDate issueDate) {
        long sequence = Sql.query(dataSource, series.takeNext, rs -> rs.getLong(1), operatorId).get(0);
        return String.format(Locale.ROOT, "%s%s-%d-%06d", series.prefix,
                operatorSlug.toUpperCase(Locale.ROOT), issueDate.getYear(), sequence);
    }
}

package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;

/**
 * Hands out invoice numbers without gaps per operator: {@code <OPERATOR SLUG>-<YYYY>-<6-digit sequence>}, e.g.
 * {@code ACME-2026-000042}. The sequence runs on across years; the year is the issue date's.
 *
 * <p>The counter row is incremented in the caller's transaction and stays locked until it ends: a concurrent
 * finalization waits, and a rollback returns the number, so no number is skipped or used twice.
 */
@ApplicationScoped
public class InvoiceNumbers {

    private static final String CREATE_COUNTER = """
            INSERT INTO invoice_number_counter (operator_id, next_value) VALUES (?, 1)
            ON CONFLICT (operator_id) DO NOTHING
            """;

    private static final String TAKE_NEXT = """
            UPDATE invoice_number_counter SET next_value = next_value + 1
             WHERE operator_id = ?
            RETURNING next_value - 1
            """;

    private final AgroalDataSource dataSource;

    InvoiceNumbers(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes the operator's next number. Must run in the transaction that stores the numbered invoice.
     *
     * @param operatorId the operator that issues the invoice
     * @param operatorSlug the operator's slug; upper-cased as the number's prefix
     * @param issueDate the invoice's issue date; its year is part of the number
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String next(UUID operatorId, String operatorSlug, LocalDate issueDate) {
        Sql.update(dataSource, CREATE_COUNTER, operatorId);
        long sequence = Sql.query(dataSource, TAKE_NEXT, rs -> rs.getLong(1), operatorId).get(0);
        return String.format(Locale.ROOT, "%s-%d-%06d",
                operatorSlug.toUpperCase(Locale.ROOT), issueDate.getYear(), sequence);
    }
}

package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tollbooth.billing.money.CurrencyRounding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Settles what re-rating found for usage on issued invoices (table {@code rating_adjustment}, written by metering):
 * the issued invoice and its rated rows stand, and the difference is settled once.
 *
 * <ul>
 *   <li>A negative difference (the invoice charged too much) becomes a credit note against that invoice, for the
 *       difference rounded once to the currency's minor unit (HALF_UP), with the invoice's tax on it.</li>
 *   <li>A positive difference (it charged too little) becomes a {@link LineType#RERATING} line on the client's next
 *       draft, rounded once, and is taxed with that invoice.</li>
 *   <li>A difference that rounds to nothing, or one of a voided invoice, is settled without a document.</li>
 * </ul>
 *
 * Each settlement sets {@code settled_at} in the transaction that writes its effect, under a row lock, so running
 * it twice or on two instances at once settles nothing twice. Every settlement is written to the audit trail of
 * the re-rated invoice.
 */
@ApplicationScoped
public class RatingAdjustments {

    private static final Logger LOG = Logger.getLogger(RatingAdjustments.class);

    // Differences no next invoice should take: what an invoice charged too much (or exactly right), and anything
    // of a voided invoice, which charges nothing.
    private static final String UNSETTLED_CREDITS = """
            SELECT a.id FROM rating_adjustment a JOIN invoice i ON i.id = a.invoice_id
             WHERE a.settled_at IS NULL AND (a.difference <= 0 OR i.status = 'VOID')
               AND (CAST(? AS uuid) IS NULL OR i.operator_id = ?)
             ORDER BY a.id""";

    private static final String LOCK = """
            SELECT a.invoice_id, a.events, a.difference, a.currency, i.number, i.status
              FROM rating_adjustment a
              JOIN invoice i ON i.id = a.invoice_id
             WHERE a.id = ? AND a.settled_at IS NULL
               FOR UPDATE OF a""";

    // Positive differences of the client's other invoices, oldest first; the draft takes them as it takes usage.
    private static final String TAKE_DEBITS = """
            UPDATE rating_adjustment a SET billed_on_invoice_id = ?, settled_at = ?
              FROM invoice i
             WHERE i.id = a.invoice_id AND a.client_id = ? AND a.invoice_id <> ? AND a.settled_at IS NULL
               AND a.difference > 0 AND i.status <> 'VOID'
            RETURNING a.id, a.events, a.difference, a.currency, i.number""";

    private final AgroalDataSource dataSource;
    private final CreditNotes creditNotes;
    private final BillingAudit audit;
    private final Clock clock;

    RatingAdjustments(AgroalDataSource dataSource, CreditNotes creditNotes, BillingAudit audit, Clock clock) {
        this.dataSource = dataSource;
        this.creditNotes = creditNotes;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A positive re-rating difference taken by a draft.
     *
     * @param adjustmentId the {@code rating_adjustment} row
     * @param events how many events were re-rated
     * @param difference what the invoice charged too little, at full precision
     * @param currency the currency of the difference
     * @param invoiceNumber the number of the re-rated invoice
     */
    record Debit(long adjustmentId, int events, BigDecimal difference, Currency currency, String invoiceNumber) {

        /** The invoice line: the difference rounded once. */
        InvoiceLine line(Currency invoiceCurrency) {
            InvoiceLine line = new InvoiceLine();
            line.type = LineType.RERATING;
            line.description = "Re-rating of invoice " + invoiceNumber + " (" + events + " events): "
                    + difference.stripTrailingZeros().toPlainString() + " " + currency + " charged too little";
            line.amount = CurrencyRounding.toMinorUnit(difference, invoiceCurrency);
            line.currency = invoiceCurrency.getCurrencyCode();
            return line;
        }
    }

    /**
     * Takes every unsettled positive difference of the client's other invoices onto the draft, settling them; a
     * regeneration gives them back first ({@link #release}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    List<Debit> takeDebits(UUID invoiceId, UUID clientId) {
        List<Debit> debits = Sql.query(dataSource, TAKE_DEBITS, rs -> new Debit(rs.getLong(1), rs.getInt(2),
                rs.getBigDecimal(3), Currency.getInstance(rs.getString(4).trim()), rs.getString(5)),
                invoiceId, clock.instant(), clientId, invoiceId);
        return debits.stream().sorted((a, b) -> Long.compare(a.adjustmentId(), b.adjustmentId())).toList();
    }

    /** Gives back the positive differences a draft took, before it is regenerated. */
    @Transactional(Transactional.TxType.MANDATORY)
    void release(UUID invoiceId) {
        Sql.update(dataSource, "UPDATE rating_adjustment SET billed_on_invoice_id = NULL, settled_at = NULL"
                + " WHERE billed_on_invoice_id = ?", invoiceId);
    }

    /** The positive differences an invoice bills, rounded once each and added up; zero if none. */
    public BigDecimal billedOn(UUID invoiceId, Currency currency) {
        return Sql.query(dataSource, "SELECT difference FROM rating_adjustment WHERE billed_on_invoice_id = ?",
                        rs -> CurrencyRounding.toMinorUnit(rs.getBigDecimal(1), currency), invoiceId).stream()
                .reduce(CurrencyRounding.toMinorUnit(BigDecimal.ZERO, currency), BigDecimal::add);
    }

    /**
     * Settles every unsettled negative difference with a credit note, each in its own transaction; one that cannot
     * be credited (the invoice was already credited in full) is logged and left for finance. Must not be called
     * inside a transaction.
     *
     * @param operatorId whose invoices to settle; null for every operator's
     * @param actor who asked, for the audit trail
     * @return the credit notes issued, oldest difference first
     */
    public List<CreditNoteView> creditOverchargedInvoices(UUID operatorId, String actor) {
        List<Long> ids = Sql.query(dataSource, UNSETTLED_CREDITS, rs -> rs.getLong(1), operatorId, operatorId);
        List<CreditNoteView> notes = new ArrayList<>();
        for (long id : ids) {
            try {
                QuarkusTransaction.requiringNew().call(() -> credit(id, actor)).ifPresent(notes::add);
            } catch (BillingException refusal) {
                LOG.warnf("rating adjustment not credited adjustment=%d error=%s reason=%s", id, refusal.error(),
                        refusal.getMessage());
            }
        }
        if (!ids.isEmpty()) {
            LOG.infof("rating adjustments settled differences=%d credit_notes=%d", ids.size(), notes.size());
        }
        return notes;
    }

    private Optional<CreditNoteView> credit(long adjustmentId, String actor) {
        List<Locked> rows = Sql.query(dataSource, LOCK, rs -> new Locked(rs.getObject(1, UUID.class), rs.getInt(2),
                rs.getBigDecimal(3), Currency.getInstance(rs.getString(4).trim()), rs.getString(5),
                InvoiceStatus.valueOf(rs.getString(6))), adjustmentId);
        if (rows.isEmpty()) {
            return Optional.empty(); // settled meanwhile, by another run
        }
        Locked adjustment = rows.get(0);
        BigDecimal amount = CurrencyRounding.toMinorUnit(adjustment.difference().negate(), adjustment.currency());
        String what = "re-rating of invoice " + adjustment.number() + " (" + adjustment.events() + " events, "
                + adjustment.difference().stripTrailingZeros().toPlainString() + " " + adjustment.currency() + ")";

        if (adjustment.status() == InvoiceStatus.VOID || amount.signum() <= 0) {
            String why = adjustment.status() == InvoiceStatus.VOID ? "the invoice is void" : "it rounds to nothing";
            settle(adjustmentId, null);
            audit.record(BillingAudit.Entity.INVOICE, adjustment.invoiceId(), adjustment.status().name(),
                    adjustment.status().name(), actor, what + " settled without a credit note: " + why);
            return Optional.empty();
        }
        CreditNoteView note = creditNotes.issue(adjustment.invoiceId(), new CreditNotes.Request("Correction after "
                + what, List.of(new CreditNotes.Line("Re-rating of invoice " + adjustment.number() + " ("
                + adjustment.events() + " events)", amount))), actor);
        settle(adjustmentId, note.id());
        LOG.infof("rating adjustment credited adjustment=%d invoice=%s credit_note=%s amount=%s currency=%s",
                adjustmentId, adjustment.number(), note.number(), amount.toPlainString(), adjustment.currency());
        return Optional.of(note);
    }

    private void settle(long adjustmentId, UUID creditNoteId) {
        Sql.update(dataSource, "UPDATE rating_adjustment SET settled_at = ?, credit_note_id = ? WHERE id = ?",
                clock.instant(), creditNoteId, adjustmentId);
    }

    private record Locked(UUID invoiceId, int events, BigDecimal difference, Currency currency, String number,
            InvoiceStatus status) {
    }
}

package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import io.tollbooth.billing.money.CurrencyRounding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Issues credit notes against issued invoices. A credit note credits part or all of what is left of the invoice's
 * subtotal, and the matching part of its tax (computed once per rate on the credited subtotal; the credit note
 * that credits the rest takes exactly the rest of the tax, so credit notes never add up to more or less than the
 * invoice). Its total goes to the client's credit balance, where the next invoice uses it.
 */
@ApplicationScoped
public class CreditNotes {

    private static final Logger LOG = Logger.getLogger(CreditNotes.class);

    private final AgroalDataSource dataSource;
    private final InvoiceLifecycle lifecycle;
    private final InvoiceNumbers numbers;
    private final CreditBalance credit;
    private final InvoiceViews views;
    private final BillingAudit audit;
    private final Clock clock;

    CreditNotes(AgroalDataSource dataSource, InvoiceLifecycle lifecycle, InvoiceNumbers numbers,
            CreditBalance credit, InvoiceViews views, BillingAudit audit, Clock clock) {
        this.dataSource = dataSource;
        this.lifecycle = lifecycle;
        this.numbers = numbers;
        this.credit = credit;
        this.views = views;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What to credit.
     *
     * @param reason why, printed on the credit note and audited; required
     * @param lines what to credit, each a description and a positive amount before tax in the invoice's currency;
     *     empty to credit everything that is left of the invoice
     */
    public record Request(String reason, List<Line> lines) {

        public Request {
            lines = lines == null ? List.of() : List.copyOf(lines);
        }

        /** A credit note for everything that is left of the invoice. */
        public static Request full(String reason) {
            return new Request(reason, List.of());
        }
    }

    /** One line to credit: a description and an amount before tax. */
    public record Line(String description, BigDecimal amount) {
    }

    /**
     * Issues a credit note for an invoice, numbered in the operator's credit note series.
     *
     * @param actor who issues it, for the audit trail
     * @throws BillingException {@link BillingError#INVOICE_NOT_FOUND}; {@link BillingError#INVALID_TRANSITION} if
     *     the invoice is a draft or void; {@link BillingError#INVALID_AMOUNT} for a line that is not positive or has
     *     too many decimals; {@link BillingError#CREDIT_EXCEEDS_INVOICE} if the lines come to more than what is left
     *     of the invoice, or nothing is left
     */
    @Transactional
    public CreditNoteView issue(UUID invoiceId, Request request, String actor) {
        InvoiceLifecycle.Locked locked = lifecycle.lock(invoiceId);
        Invoice invoice = locked.invoice();
        ClientAccount account = locked.account();
        if (!invoice.status.issued()) {
            throw new BillingException(BillingError.INVALID_TRANSITION, (invoice.number == null ? "draft "
                    + invoice.id : "invoice " + invoice.number) + " is " + invoice.status
                    + " and cannot be credited");
        }

        Currency currency = invoice.currency();
        Credited before = credited(invoice.id);
        BigDecimal subtotalLeft = invoice.subtotal.subtract(before.subtotal());
        BigDecimal taxLeft = invoice.taxTotal.subtract(before.tax());
        List<Line> lines = request.lines().isEmpty() ? rest(invoice, before, subtotalLeft) : request.lines();
        lines.forEach(line -> CreditBalance.checkAmount(line.amount(), currency));
        BigDecimal subtotal = lines.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        subtotal = CurrencyRounding.toMinorUnit(subtotal, currency);
        if (subtotal.signum() <= 0 || subtotal.compareTo(subtotalLeft) > 0) {
            throw new BillingException(BillingError.CREDIT_EXCEEDS_INVOICE, "invoice " + invoice.number + " has "
                    + subtotalLeft.toPlainString() + " " + currency + " left to credit before tax; a credit note of "
                    + subtotal.toPlainString() + " " + currency + " is not possible");
        }

        Instant now = clock.instant();
        CreditNote note = new CreditNote();
        note.id = UUID.randomUUID();
        note.operatorId = invoice.operatorId;
        note.clientId = invoice.clientId;
        note.invoiceId = invoice.id;
        note.issueDate = now.atZone(account.zone()).toLocalDate();
        note.number = numbers.nextCreditNote(account.operatorId(), account.operatorSlug(), note.issueDate);
        note.currency = invoice.currency;
        note.subtotal = subtotal;
        note.taxTotal = subtotal.compareTo(subtotalLeft) == 0 ? taxLeft : tax(invoice, subtotal).min(taxLeft);
        note.total = note.subtotal.add(note.taxTotal);
        note.reason = request.reason();
        note.createdBy = actor;
        note.createdAt = now;
        lines.forEach(line -> note.addLine(line.description(), CurrencyRounding.toMinorUnit(line.amount(),
                currency)));
        note.persistAndFlush();

        credit.add(account, CreditBalance.Kind.CREDIT_NOTE, note.total, invoice.id, note.id,
                "credit note " + note.number, actor);
        audit.record(BillingAudit.Entity.CREDIT_NOTE, note.id, null, "ISSUED", actor, request.reason());

        LOG.infof("credit note issued credit_note=%s invoice=%s client=%s total=%s currency=%s actor=%s",
                note.number, invoice.number, account.clientSlug(), note.total.toPlainString(), note.currency, actor);
        return views.of(note, invoice, account);
    }

    /** The credit note with this id, if there is one. */
    @Transactional
    public Optional<CreditNoteView> find(UUID creditNoteId) {
        return CreditNote.<CreditNote>findByIdOptional(creditNoteId).map(views::of);
    }

    private record Credited(BigDecimal subtotal, BigDecimal tax) {
    }

    private Credited credited(UUID invoiceId) {
        return Sql.query(dataSource, """
                SELECT COALESCE(SUM(subtotal), 0), COALESCE(SUM(tax_total), 0) FROM credit_note WHERE invoice_id = ?""",
                rs -> new Credited(rs.getBigDecimal(1), rs.getBigDecimal(2)), invoiceId).get(0);
    }

    // A first, full credit note repeats the invoice's lines; after a partial one, it credits the rest in one line.
    private static List<Line> rest(Invoice invoice, Credited before, BigDecimal subtotalLeft) {
        if (subtotalLeft.signum() <= 0) {
            return List.of();
        }
        List<Line> lines = new ArrayList<>();
        if (before.subtotal().signum() == 0) {
            invoice.lines.stream().filter(l -> l.amount.signum() > 0)
                    .forEach(l -> lines.add(new Line(l.description, l.amount)));
        } else {
            lines.add(new Line("Rest of invoice " + invoice.number, subtotalLeft));
        }
        return lines;
    }

    private static BigDecimal tax(Invoice invoice, BigDecimal subtotal) {
        Currency currency = invoice.currency();
        return invoice.taxes.stream()
                .map(t -> t.reverseChargeNote != null ? CurrencyRounding.toMinorUnit(BigDecimal.ZERO, currency)
                        : CurrencyRounding.percentOf(subtotal, t.percent, currency))
                .reduce(CurrencyRounding.toMinorUnit(BigDecimal.ZERO, currency), BigDecimal::add);
    }
}

package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Moves invoices through their life: a draft is regenerated or finalized; a finalized invoice is voided. Every
 * transition is one transaction, audited in {@link BillingAudit}.
 *
 * <p>Locks are always taken in the same order, client, then invoice, then the number counter, so concurrent
 * transitions queue instead of deadlocking: two finalizations of one invoice number it once, and finalizations of
 * many invoices of one operator number them without gaps in the order they commit.
 */
@ApplicationScoped
public class InvoiceLifecycle {

    private static final Logger LOG = Logger.getLogger(InvoiceLifecycle.class);

    private final AgroalDataSource dataSource;
    private final ClientAccounts accounts;
    private final InvoiceDrafts drafts;
    private final RatedUsageTotals usage;
    private final RatingAdjustments adjustments;
    private final InvoiceNumbers numbers;
    private final CreditBalance credit;
    private final InvoiceViews views;
    private final BillingAudit audit;
    private final Clock clock;

    InvoiceLifecycle(AgroalDataSource dataSource, ClientAccounts accounts, InvoiceDrafts drafts,
            RatedUsageTotals usage, RatingAdjustments adjustments, InvoiceNumbers numbers, CreditBalance credit,
            InvoiceViews views, BillingAudit audit, Clock clock) {
        this.dataSource = dataSource;
        this.accounts = accounts;
        this.drafts = drafts;
        this.usage = usage;
        this.adjustments = adjustments;
        this.numbers = numbers;
        this.credit = credit;
        this.views = views;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Finalizes a draft: applies prepaid credit for good, takes the operator's next invoice number, sets the issue
     * and due dates in the client's zone and copies bill-to, issuer and terms into the invoice, which is immutable
     * from then on.
     *
     * <p>Idempotent: an invoice that is already issued is returned as it is and nothing is written.
     *
     * @param actor who finalizes, for the audit trail
     * @throws BillingException {@link BillingError#INVOICE_NOT_FOUND}; {@link BillingError#INVALID_TRANSITION} if
     *     the invoice is void
     */
    @Transactional
    public InvoiceView finalizeInvoice(UUID invoiceId, String actor) {
        Locked locked = lock(invoiceId);
        Invoice invoice = locked.invoice();
        ClientAccount account = locked.account();
        if (invoice.status.issued()) {
            return views.of(invoice, account);
        }
        issue(invoice, account, actor);
        return views.of(invoice, account);
    }

    /**
     * Finalizes a draft in the caller's transaction, which holds the client's lock and the invoice's (or created the
     * invoice): see {@link #finalizeInvoice(UUID, String)}.
     *
     * @throws BillingException {@link BillingError#INVALID_TRANSITION} if the invoice is not a draft
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void issue(Invoice invoice, ClientAccount account, String actor) {
        refuseUnless(invoice, invoice.status == InvoiceStatus.DRAFT, "finalized");

        Instant now = clock.instant();
        InvoiceDrafts.applyCredit(invoice, credit.of(account.clientId(), account.currency()));
        if (invoice.creditApplied.signum() > 0) {
            credit.add(account, CreditBalance.Kind.APPLIED, invoice.creditApplied.negate(), invoice.id, null, null,
                    actor);
        }
        LocalDate issueDate = now.atZone(account.zone()).toLocalDate();
        invoice.number = numbers.next(account.operatorId(), account.operatorSlug(), issueDate);
        invoice.issueDate = issueDate;
        invoice.dueDate = issueDate.plusDays(account.terms().paymentTermsDays());
        snapshot(invoice, account);
        invoice.status = InvoiceStatus.FINALIZED;
        invoice.finalizedAt = now;
        audit.record(BillingAudit.Entity.INVOICE, invoice.id, InvoiceStatus.DRAFT.name(),
                InvoiceStatus.FINALIZED.name(), actor, null);

        LOG.infof("invoice finalized invoice=%s number=%s client=%s period=%s total=%s credit=%s due=%s currency=%s",
                invoice.id, invoice.number, account.clientSlug(), invoice.period(), invoice.total.toPlainString(),
                invoice.creditApplied.toPlainString(), invoice.amountDue.toPlainString(), invoice.currency);
    }

    /**
     * Rebuilds a draft from the usage and billing account of now, keeping its id and period: usage that arrived
     * since, a changed tax rate or purchase order, a new credit balance.
     *
     * @param actor who regenerates, for the audit trail
     * @throws BillingException {@link BillingError#INVOICE_NOT_FOUND}; {@link BillingError#INVALID_TRANSITION} if
     *     the invoice is not a draft; {@link BillingError#UNPRICED_USAGE} or {@link BillingError#CURRENCY_MISMATCH}
     *     (the draft then stays as it was)
     */
    @Transactional
    public InvoiceView regenerate(UUID invoiceId, String actor) {
        Locked locked = lock(invoiceId);
        Invoice invoice = locked.invoice();
        refuseUnless(invoice, invoice.status == InvoiceStatus.DRAFT, "regenerated");

        usage.unlink(invoice.id);
        adjustments.release(invoice.id);
        invoice.lines.clear();
        invoice.taxes.clear();
        // The old lines must be gone before new ones reuse their line numbers.
        Invoice.flush();
        drafts.fill(invoice, locked.account(), invoice.period());
        audit.record(BillingAudit.Entity.INVOICE, invoice.id, InvoiceStatus.DRAFT.name(),
                InvoiceStatus.DRAFT.name(), actor, "regenerated");

        LOG.infof("invoice regenerated invoice=%s client=%s period=%s lines=%d total=%s", invoice.id,
                locked.account().clientSlug(), invoice.period(), invoice.lines.size(), invoice.total.toPlainString());
        return views.of(invoice, locked.account());
    }

    /**
     * Voids an issued, unpaid invoice: it keeps its number, owes nothing, and gives any prepaid credit it used back
     * to the client's balance. Its usage stays with it and is not billed again; re-rating differences it carried go
     * back to be carried by the client's next invoice.
     *
     * @param reason why, for the audit trail and the record; required
     * @throws BillingException {@link BillingError#INVOICE_NOT_FOUND}; {@link BillingError#INVALID_TRANSITION} if
     *     the invoice is a draft, paid, already void or has credit notes (credit the rest instead)
     */
    @Transactional
    public InvoiceView voidInvoice(UUID invoiceId, String actor, String reason) {
        Locked locked = lock(invoiceId);
        Invoice invoice = locked.invoice();
        refuseUnless(invoice, invoice.status.voidable(), "voided");
        if (CreditNote.countForInvoice(invoice.id) > 0) {
            throw new BillingException(BillingError.INVALID_TRANSITION, "invoice " + invoice.number
                    + " has credit notes and cannot be voided; issue a credit note for the rest instead");
        }

        if (invoice.creditApplied.signum() > 0) {
            credit.add(locked.account(), CreditBalance.Kind.RELEASED, invoice.creditApplied, invoice.id, null,
                    "invoice " + invoice.number + " voided", actor);
        }
        adjustments.release(invoice.id);
        String from = invoice.status.name();
        invoice.status = InvoiceStatus.VOID;
        invoice.voidedAt = clock.instant();
        invoice.voidReason = reason;
        audit.record(BillingAudit.Entity.INVOICE, invoice.id, from, InvoiceStatus.VOID.name(), actor, reason);

        LOG.infof("invoice voided invoice=%s number=%s client=%s released_credit=%s actor=%s", invoice.id,
                invoice.number, locked.account().clientSlug(), invoice.creditApplied.toPlainString(), actor);
        return views.of(invoice, locked.account());
    }

    /** An invoice and its client's account, both locked until the transaction ends. */
    record Locked(Invoice invoice, ClientAccount account) {
    }

    /** Locks the invoice's client, then the invoice, and reads the invoice fresh under its lock. */
    @Transactional(Transactional.TxType.MANDATORY)
    Locked lock(UUID invoiceId) {
        UUID clientId = Sql.query(dataSource, "SELECT client_id FROM invoice WHERE id = ?",
                rs -> rs.getObject(1, UUID.class), invoiceId).stream().findFirst()
                .orElseThrow(() -> new BillingException(BillingError.INVOICE_NOT_FOUND, "no invoice " + invoiceId));
        ClientAccount account = accounts.lockForClosing(clientId);
        Invoice invoice = Invoice.findById(invoiceId, LockModeType.PESSIMISTIC_WRITE);
        return new Locked(invoice, account);
    }

    private static void refuseUnless(Invoice invoice, boolean allowed, String change) {
        if (!allowed) {
            String name = invoice.number == null ? "draft " + invoice.id : "invoice " + invoice.number;
            throw new BillingException(BillingError.INVALID_TRANSITION, name + " is " + invoice.status
                    + " and cannot be " + change);
        }
    }

    private static void snapshot(Invoice invoice, ClientAccount account) {
        BillingTerms terms = account.terms();
        invoice.paymentTermsDays = terms.paymentTermsDays();
        invoice.locale = terms.locale().toLanguageTag();
        invoice.purchaseOrder = terms.purchaseOrder();
        invoice.billToName = account.clientName();
        invoice.billToContact = terms.contactName();
        invoice.billToEmail = terms.contactEmail();
        invoice.billToAddress = terms.billingAddress();
        invoice.issuerName = account.operatorName();
        invoice.issuerAddress = account.operatorAddress();
        invoice.issuerTaxId = account.operatorTaxId();
    }
}

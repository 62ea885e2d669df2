package io.tollbooth.billing.invoice;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Closes a client's billing period into a draft invoice; {@link InvoiceLifecycle} finalizes it, on its own or in the
 * same transaction as the close.
 *
 * <p>{@link InvoiceDrafts} fills the draft: usage lines rounded once each, the minimum-commitment true-up, late
 * usage of earlier periods, tax and prepaid credit. The draft takes the period's rated usage rows, so a row is on
 * one invoice only; usage that arrives for the period after it was closed goes on the next invoice as late usage.
 */
@ApplicationScoped
public class InvoiceCloser {

    private static final Logger LOG = Logger.getLogger(InvoiceCloser.class);

    private final ClientAccounts accounts;
    private final InvoiceDrafts drafts;
    private final InvoiceLifecycle lifecycle;
    private final InvoiceViews views;
    private final BillingAudit audit;
    private final Clock clock;

    InvoiceCloser(ClientAccounts accounts, InvoiceDrafts drafts, InvoiceLifecycle lifecycle, InvoiceViews views,
            BillingAudit audit, Clock clock) {
        this.accounts = accounts;
        this.drafts = drafts;
        this.lifecycle = lifecycle;
        this.views = views;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@link #closeMonth(UUID, YearMonth, boolean, String)} by the {@link BillingAudit#SYSTEM system}. */
    public ClosedInvoice closeMonth(UUID clientId, YearMonth month, boolean closeEarly) {
        return closeMonth(clientId, month, closeEarly, BillingAudit.SYSTEM);
    }

    /**
     * Closes the client's period that starts in {@code month} (on its billing day, in its time zone) into a draft
     * invoice, in one transaction.
     *
     * <p>Idempotent: if the period was closed before, its invoice is returned as it is, whatever its status, and
     * nothing is written, also when two closes of the same client run at once (the second waits for the first and
     * finds its invoice).
     *
     * @param clientId the client to bill
     * @param month the month the period starts in
     * @param closeEarly close the period before it has ended in the client's zone (demos and tests); usage that
     *     arrives later in the period then goes on the next invoice as late usage. A period that has not begun is
     *     refused either way
     * @param actor who asked, for the audit trail
     * @return the period's invoice, and whether this call created it
     * @throws BillingException {@link BillingError#CLIENT_NOT_FOUND}, {@link BillingError#PERIOD_NOT_ENDED},
     *     {@link BillingError#UNPRICED_USAGE} or {@link BillingError#CURRENCY_MISMATCH}; nothing is written then
     */
    @Transactional
    public ClosedInvoice closeMonth(UUID clientId, YearMonth month, boolean closeEarly, String actor) {
        return closeMonth(clientId, month, closeEarly, false, actor);
    }

    /**
     * {@link #closeMonth(UUID, YearMonth, boolean, String)}, and with {@code finalize} also finalizes the period's
     * invoice if it is a draft ({@link InvoiceLifecycle#finalizeInvoice(UUID, String)}), all in one transaction:
     * a refusal or a crash leaves neither a draft nor a number behind.
     */
    @Transactional
    public ClosedInvoice closeMonth(UUID clientId, YearMonth month, boolean closeEarly, boolean finalize,
            String actor) {
        Closed closed = close(clientId, month, closeEarly, finalize, actor);
        return new ClosedInvoice(views.of(closed.invoice(), closed.account()), closed.created());
    }

    /**
     * What an invoice run needs of {@link #closeMonth(UUID, YearMonth, boolean, boolean, String)}, without the
     * invoice's view (which costs a query and memory the run does not need); the period must have ended.
     *
     * @return the period's invoice id, and whether this call created the invoice
     */
    @Transactional
    ClosedId closeEnded(UUID clientId, YearMonth month, boolean finalize, String actor) {
        Closed closed = close(clientId, month, false, finalize, actor);
        return new ClosedId(closed.invoice().id, closed.created());
    }

    /** An invoice of a closed period by id, and whether the close created it. */
    record ClosedId(UUID invoiceId, boolean created) {
    }

    /** The invoice of a closed period, with its client's account as read under the client's lock. */
    private record Closed(Invoice invoice, ClientAccount account, boolean created) {
    }

    private Closed close(UUID clientId, YearMonth month, boolean closeEarly, boolean finalize, String actor) {
        // The lock makes concurrent closes of this client queue here, so the check below sees any invoice
        // the one before created; UNIQUE(client_id, period_start) backs this up.
        ClientAccount account = accounts.lockForClosing(clientId);
        BillingPeriod period = account.periodStartingIn(month);

        Optional<Invoice> existing = Invoice.findForPeriod(clientId, period.startDate());
        if (existing.isPresent()) {
            Invoice invoice = existing.get();
            LOG.debugf("period already closed client=%s period=%s invoice=%s status=%s", account.clientSlug(),
                    period, invoice.id, invoice.status);
            if (finalize && invoice.status == InvoiceStatus.DRAFT) {
                // Read again under the invoice's lock, the order InvoiceLifecycle takes locks in.
                Invoice.getEntityManager().refresh(invoice, LockModeType.PESSIMISTIC_WRITE);
                if (invoice.status == InvoiceStatus.DRAFT) {
                    lifecycle.issue(invoice, account, actor);
                }
            }
            return new Closed(invoice, account, false);
        }

        Instant now = clock.instant();
        refuseUnlessEnded(account, period, now, closeEarly);

        Invoice invoice = header(account, period, now);
        invoice.persistAndFlush();
        drafts.fill(invoice, account, period);
        audit.record(BillingAudit.Entity.INVOICE, invoice.id, null, InvoiceStatus.DRAFT.name(), actor,
                closeEarly && !period.hasEndedAt(now) ? "period closed early" : "period closed");

        LOG.infof("invoice drafted invoice=%s client=%s period=%s lines=%d total=%s currency=%s early=%s",
                invoice.id, account.clientSlug(), period, invoice.lines.size(), invoice.total.toPlainString(),
                invoice.currency, !period.hasEndedAt(now));
        if (finalize) {
            lifecycle.issue(invoice, account, actor);
        }
        return new Closed(invoice, account, true);
    }

    private static void refuseUnlessEnded(ClientAccount account, BillingPeriod period, Instant now,
            boolean closeEarly) {
        // Even an early close needs the period to have begun: an empty invoice for a future period would
        // stand in the way of its real close.
        if (now.isBefore(period.start())) {
            throw new BillingException(BillingError.PERIOD_NOT_ENDED, "period " + period + " of client "
                    + account.clientSlug() + " has not started yet; it begins at " + period.start());
        }
        if (!closeEarly && !period.hasEndedAt(now)) {
            throw new BillingException(BillingError.PERIOD_NOT_ENDED, "period " + period + " of client "
                    + account.clientSlug() + " ends at " + period.end() + " and cannot be closed before then"
                    + " unless closing early is asked for explicitly");
        }
    }

    private static Invoice header(ClientAccount account, BillingPeriod period, Instant now) {
        Invoice invoice = new Invoice();
        invoice.id = UUID.randomUUID();
        invoice.operatorId = account.operatorId();
        invoice.clientId = account.clientId();
        invoice.status = InvoiceStatus.DRAFT;
        invoice.periodStart = period.startDate();
        invoice.periodEnd = period.endDate();
        invoice.timeZone = period.zone().getId();
        invoice.currency = account.currency().getCurrencyCode();
        invoice.createdAt = now;
        // Filled in by InvoiceDrafts; zero until then so the row can be stored before it takes its usage.
        invoice.subtotal = BigDecimal.ZERO;
        invoice.taxTotal = BigDecimal.ZERO;
        invoice.total = BigDecimal.ZERO;
        invoice.creditApplied = BigDecimal.ZERO;
        invoice.amountDue = BigDecimal.ZERO;
        return invoice;
    }
}

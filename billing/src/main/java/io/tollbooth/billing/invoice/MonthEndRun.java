package io.tollbooth.billing.invoice;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Closes a month for every client of an operator, one transaction per client (closing and finalizing together), so
 * one client's refusal leaves the others' invoices in place. Running it again, also after a crash half-way,
 * creates only what is still missing and finalizes only what is still a draft.
 */
@ApplicationScoped
public class MonthEndRun {

    private static final Logger LOG = Logger.getLogger(MonthEndRun.class);

    private final ClientAccounts accounts;
    private final InvoiceCloser closer;
    private final RatingAdjustments adjustments;
    private final Event<InvoicesClosed> closed;
    private final Event<InvoiceRunCompleted> completed;

    MonthEndRun(ClientAccounts accounts, InvoiceCloser closer, RatingAdjustments adjustments,
            Event<InvoicesClosed> closed, Event<InvoiceRunCompleted> completed) {
        this.accounts = accounts;
        this.closer = closer;
        this.adjustments = adjustments;
        this.closed = closed;
        this.completed = completed;
    }

    /**
     * {@link #closeMonth(UUID, YearMonth, boolean, boolean, String)} into finalized, numbered invoices, by the
     * system, as this method has always done; pass {@code finalize = false} to the longer form for drafts.
     */
    public List<ClientCloseOutcome> closeMonth(UUID operatorId, YearMonth month, boolean closeEarly) {
        return closeMonth(operatorId, month, closeEarly, true, BillingAudit.SYSTEM);
    }

    /**
     * Closes each client's period starting in {@code month} (on its billing day, in its own time zone) for every
     * client of the operator that existed before that period ended, by client slug. First it credits what re-rating
     * found the operator's issued invoices charged too much ({@link RatingAdjustments}).
     *
     * <p>A refused client ({@link BillingException}) is reported in its outcome and the run goes on; any other
     * failure (the database is gone) stops the run, and running it again is safe.
     *
     * @param operatorId the operator whose clients to bill
     * @param month the month the periods start in
     * @param closeEarly see {@link InvoiceCloser#closeMonth(UUID, YearMonth, boolean, String)}
     * @param finalize also finalize each client's invoice if it is a draft, numbering it
     * @param actor who asked, for the audit trail
     * @return one outcome per client
     * @throws BillingException {@link BillingError#OPERATOR_NOT_FOUND} if there is no such operator
     */
    public List<ClientCloseOutcome> closeMonth(UUID operatorId, YearMonth month, boolean closeEarly,
            boolean finalize, String actor) {
        adjustments.creditOverchargedInvoices(operatorId, actor);
        List<ClientCloseOutcome> outcomes = new ArrayList<>();
        for (UUID clientId : accounts.clientIdsOf(operatorId, month)) {
            outcomes.add(closeOne(clientId, month, closeEarly, finalize, actor));
        }
        LOG.infof("month closed operator=%s month=%s clients=%d created=%d refused=%d finalize=%s", operatorId,
                month, outcomes.size(), count(outcomes, ClientCloseOutcome.Status.CREATED),
                count(outcomes, ClientCloseOutcome.Status.REFUSED), finalize);
        announce(outcomes);
        return outcomes;
    }

    private ClientCloseOutcome closeOne(UUID clientId, YearMonth month, boolean closeEarly, boolean finalize,
            String actor) {
        try {
            return ClientCloseOutcome.closed(clientId, closer.closeMonth(clientId, month, closeEarly, finalize,
                    actor));
        } catch (BillingException refusal) {
            LOG.warnf("month not closed client=%s month=%s error=%s reason=%s", clientId, month, refusal.error(),
                    refusal.getMessage());
            return ClientCloseOutcome.refused(clientId, refusal);
        }
    }

    // The outcomes are the caller's anyway; observers get them in batches like those of the scheduled run.
    private void announce(List<ClientCloseOutcome> outcomes) {
        UUID runId = UUID.randomUUID();
        List<UUID> invoiceIds = outcomes.stream().filter(o -> o.invoice() != null).map(o -> o.invoice().id())
                .toList();
        for (int from = 0; from < invoiceIds.size(); from += ScheduledInvoiceRun.BATCH_SIZE) {
            closed.fire(new InvoicesClosed(runId, invoiceIds.subList(from,
                    Math.min(from + ScheduledInvoiceRun.BATCH_SIZE, invoiceIds.size()))));
        }
        completed.fire(new InvoiceRunCompleted(runId, invoiceIds.size(),
                count(outcomes, ClientCloseOutcome.Status.REFUSED)));
    }

    private static long count(List<ClientCloseOutcome> outcomes, ClientCloseOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }
}

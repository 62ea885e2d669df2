package io.tollbooth.billing.invoice;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Closes a month for every client of an operator, one transaction per client, so one client's refusal leaves
 * the others' invoices in place. Running it again creates only what is still missing.
 */
@ApplicationScoped
public class MonthEndRun {

    private static final Logger LOG = Logger.getLogger(MonthEndRun.class);

    private final ClientAccounts accounts;
    private final InvoiceCloser closer;

    MonthEndRun(ClientAccounts accounts, InvoiceCloser closer) {
        this.accounts = accounts;
        this.closer = closer;
    }

    /**
     * Closes {@code month} (in each client's own time zone) for every client of the operator that existed before
     * the month ended, by client slug.
     *
     * <p>A refused client ({@link BillingException}) is reported in its outcome and the run goes on; any other
     * failure (the database is gone) stops the run, and running it again is safe.
     *
     * @param operatorId the operator whose clients to bill
     * @param month the calendar month
     * @param closeEarly see {@link InvoiceCloser#closeMonth(UUID, YearMonth, boolean)}
     * @return one outcome per client
     * @throws BillingException {@link BillingError#OPERATOR_NOT_FOUND} if there is no such operator
     */
    public List<ClientCloseOutcome> closeMonth(UUID operatorId, YearMonth month, boolean closeEarly) {
        List<ClientCloseOutcome> outcomes = new ArrayList<>();
        for (UUID clientId : accounts.clientIdsOf(operatorId, month)) {
            outcomes.add(closeOne(clientId, month, closeEarly));
        }
        LOG.infof("month closed operator=%s month=%s clients=%d created=%d refused=%d", operatorId, month,
                outcomes.size(), count(outcomes, ClientCloseOutcome.Status.CREATED),
                count(outcomes, ClientCloseOutcome.Status.REFUSED));
        return outcomes;
    }

    private ClientCloseOutcome closeOne(UUID clientId, YearMonth month, boolean closeEarly) {
        try {
            return ClientCloseOutcome.closed(clientId, closer.closeMonth(clientId, month, closeEarly));
        } catch (BillingException refusal) {
            LOG.warnf("month not closed client=%s month=%s error=%s reason=%s", clientId, month, refusal.error(),
                    refusal.getMessage());
            return ClientCloseOutcome.refused(clientId, refusal);
        }
    }

    private static long count(List<ClientCloseOutcome> outcomes, ClientCloseOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }
}

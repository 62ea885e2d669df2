package io.tollbooth.billing.reconciliation;

import io.tollbooth.billing.invoice.InvoiceRunCompleted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reconciles the invoices of every finished invoice run, so that a difference is in the log (as a WARN per
 * invoice) the moment the run that caused it ends, not only when finance asks.
 */
@ApplicationScoped
class ReconcileAfterRuns {

    private static final Logger LOG = Logger.getLogger(ReconcileAfterRuns.class);

    private final InvoiceReconciliation reconciliation;

    ReconcileAfterRuns(InvoiceReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    void afterRun(@Observes InvoiceRunCompleted run) {
        try {
            long unbalanced = 0;
            for (UUID invoiceId : run.invoiceIds()) {
                unbalanced += reconciliation.of(invoiceId).filter(report -> !report.balanced()).isPresent() ? 1 : 0;
            }
            LOG.infof("reconciliation after run invoices=%d unbalanced=%d", run.invoiceIds().size(), unbalanced);
        } catch (RuntimeException e) {
            // The run itself has succeeded; a failed check must not turn it into a failure.
            LOG.errorf(e, "reconciliation after run failed invoices=%d", run.invoiceIds().size());
        }
    }
}

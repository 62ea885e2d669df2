package io.tollbooth.billing.reconciliation;

import io.tollbooth.billing.invoice.InvoiceRunCompleted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reconciles the invoices of every finished invoice run, so that a difference is in the log (as a WARN per
 * invoice) the moment the run that caused it ends, not only when finance asks. Each invoice also gets an INFO line
 * with its amount at every stage ({@code invoice reconciled ... differences=0}), which {@code deploy/local/run}
 * prints at the end of the demo.
 */
@ApplicationScoped
class ReconcileAfterRuns {

    private static final Logger LOG = Logger.getLogger(ReconcileAfterRuns.class);

    private final InvoiceReconciliation reconciliation;

    ReconcileAfterRuns(InvoiceReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    private static void log(ReconciliationReport report) {
        LOG.info(line(report));
    }

    /**
     * The log line of one reconciled invoice, with the amount at every stage, so the log alone shows how each
     * invoice adds up. {@code deploy/local/run} parses it: keep the keys and their order.
     */
    static String line(ReconciliationReport report) {
        return "invoice reconciled invoice=" + report.invoiceId() + " number=" + report.number() + " events="
                + report.ratedEvents() + " rated=" + report.ratedAmount().stripTrailingZeros().toPlainString()
                + " lines=" + report.linesAmount().toPlainString() + " due=" + report.amountDue().toPlainString()
                + " stripe=" + (report.stripeAmount() == null ? "none" : report.stripeAmount().toPlainString())
                + " currency=" + report.currency() + " differences=" + report.differences().size();
    }

    void afterRun(@Observes InvoiceRunCompleted run) {
        try {
            long unbalanced = 0;
            for (UUID invoiceId : run.invoiceIds()) {
                Optional<ReconciliationReport> report = reconciliation.of(invoiceId);
                report.ifPresent(ReconcileAfterRuns::log);
                unbalanced += report.filter(r -> !r.balanced()).isPresent() ? 1 : 0;
            }
            LOG.infof("reconciliation after run invoices=%d unbalanced=%d", run.invoiceIds().size(), unbalanced);
        } catch (RuntimeException e) {
            // The run itself has succeeded; a failed check must not turn it into a failure.
            LOG.errorf(e, "reconciliation after run failed invoices=%d", run.invoiceIds().size());
        }
    }
}

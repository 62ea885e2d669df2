package io.tollbooth.billing.reconciliation;

import io.tollbooth.billing.invoice.InvoiceRunCompleted;
import io.tollbooth.billing.invoice.InvoicesClosed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Reconciles the invoices of every invoice run batch by batch while the run goes ({@link InvoicesClosed}), and
 * sums them up when it ends ({@link InvoiceRunCompleted}), so that a difference is in the log (as a WARN per
 * invoice) the moment the run that caused it ends, not only when finance asks. Each invoice also gets an INFO line
 * with its amount at every stage ({@code invoice reconciled ... differences=0}), which {@code deploy/local/run}
 * prints at the end of the demo.
 */
@ApplicationScoped
class ReconcileAfterRuns {

    private static final Logger LOG = Logger.getLogger(ReconcileAfterRuns.class);

    private final InvoiceReconciliation reconciliation;

    // Per running run, until its completion event; batches of one run may arrive on several threads at once.
    private final Map<UUID, Tally> tallies = new ConcurrentHashMap<>();

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

    void afterBatch(@Observes InvoicesClosed batch) {
        Tally tally = tallies.computeIfAbsent(batch.runId(), id -> new Tally());
        try {
            for (ReconciliationReport report : reconciliation.ofAll(batch.invoiceIds())) {
                log(report);
                tally.invoices.increment();
                if (!report.balanced()) {
                    tally.unbalanced.increment();
                }
            }
        } catch (RuntimeException e) {
            // The run itself goes on; a failed check must not turn it into a failure.
            tally.failed.increment();
            LOG.errorf(e, "reconciliation of run batch failed run=%s invoices=%d", batch.runId(),
                    batch.invoiceIds().size());
        }
    }

    void afterRun(@Observes InvoiceRunCompleted run) {
        Tally tally = tallies.remove(run.runId());
        if (tally == null) {
            tally = new Tally();
        }
        LOG.infof("reconciliation after run invoices=%d unbalanced=%d failed_batches=%d run=%s",
                tally.invoices.sum(), tally.unbalanced.sum(), tally.failed.sum(), run.runId());
    }

    /** What the batches of one run found so far. */
    private static final class Tally {
        final LongAdder invoices = new LongAdder();
        final LongAdder unbalanced = new LongAdder();
        final LongAdder failed = new LongAdder();
    }
}

package io.tollbooth.billing.invoice;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every {@link InvoicesClosed} and {@link InvoiceRunCompleted} event, so tests can see what runs announced. */
@ApplicationScoped
public class RecordedInvoiceRuns {

    private final List<InvoicesClosed> batches = new CopyOnWriteArrayList<>();
    private final List<InvoiceRunCompleted> runs = new CopyOnWriteArrayList<>();

    void record(@Observes InvoicesClosed batch) {
        batches.add(batch);
    }

    void record(@Observes InvoiceRunCompleted run) {
        runs.add(run);
    }

    /** The completed runs so far, oldest first. */
    public List<InvoiceRunCompleted> runs() {
        return List.copyOf(runs);
    }

    /** The batches announced so far, in the order they were fired. */
    public List<InvoicesClosed> batches() {
        return List.copyOf(batches);
    }

    /** The invoices the latest completed run announced, batch after batch. */
    public List<UUID> invoicesOfLatestRun() {
        UUID runId = runs.get(runs.size() - 1).runId();
        return batches.stream().filter(b -> b.runId().equals(runId)).flatMap(b -> b.invoiceIds().stream()).toList();
    }

    public void clear() {
        batches.clear();
        runs.clear();
    }
}

package io.tollbooth.billing.invoice;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every {@link InvoiceRunCompleted} event, so tests can see what a run announced. */
@ApplicationScoped
public class RecordedInvoiceRuns {

    private final List<InvoiceRunCompleted> runs = new CopyOnWriteArrayList<>();

    void record(@Observes InvoiceRunCompleted run) {
        runs.add(run);
    }

    /** The events so far, oldest first. */
    public List<InvoiceRunCompleted> runs() {
        return List.copyOf(runs);
    }

    public void clear() {
        runs.clear();
    }
}

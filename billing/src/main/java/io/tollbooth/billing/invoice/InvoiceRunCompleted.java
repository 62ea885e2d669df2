package io.tollbooth.billing.invoice;

import java.util.List;
import java.util.UUID;

/**
 * A CDI event fired after an invoice run (scheduled or on demand) finished: the invoices it created or finalized,
 * or found already closed, so that observers such as reconciliation can check them.
 *
 * @param invoiceIds the invoices of the run's outcomes, in outcome order; refused periods have none
 */
public record InvoiceRunCompleted(List<UUID> invoiceIds) {

    /** The event of a run with these outcomes. */
    static InvoiceRunCompleted of(List<ClientCloseOutcome> outcomes) {
        return new InvoiceRunCompleted(outcomes.stream().filter(o -> o.invoice() != null)
                .map(o -> o.invoice().id()).toList());
    }
}

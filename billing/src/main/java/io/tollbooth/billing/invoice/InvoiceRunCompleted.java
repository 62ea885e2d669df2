package io.tollbooth.billing.invoice;

import java.util.UUID;

/**
 * A CDI event fired after an invoice run (scheduled or on demand) finished, once every {@link InvoicesClosed} batch
 * of the run has been fired and observed.
 *
 * @param runId the run, as in its {@link InvoicesClosed} events
 * @param invoices how many invoices the run's {@link InvoicesClosed} events named
 * @param refused how many periods the run refused to close
 */
public record InvoiceRunCompleted(UUID runId, long invoices, long refused) {
}

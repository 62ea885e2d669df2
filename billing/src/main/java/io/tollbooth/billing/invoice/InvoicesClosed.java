package io.tollbooth.billing.invoice;

import java.util.List;
import java.util.UUID;

/**
 * A CDI event fired while an invoice run goes: a batch of the invoices it created or finalized, or found already
 * closed, so that observers such as reconciliation can check them without the run holding every invoice until it
 * ends. Fired synchronously in the thread that closed the batch, after the batch's transactions committed; a run
 * fires as many batches as it needs, then one {@link InvoiceRunCompleted}.
 *
 * @param runId the run the batch belongs to
 * @param invoiceIds the invoices, in the order the run closed them; never empty
 */
public record InvoicesClosed(UUID runId, List<UUID> invoiceIds) {
}

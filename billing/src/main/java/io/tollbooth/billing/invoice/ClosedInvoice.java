package io.tollbooth.billing.invoice;

/**
 * The invoice of a closed period.
 *
 * @param invoice the invoice
 * @param created true if this close created it; false if the period had been closed before and nothing was written
 */
public record ClosedInvoice(InvoiceView invoice, boolean created) {
}

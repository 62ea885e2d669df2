package io.tollbooth.billing.invoice;

import java.util.UUID;

/**
 * What closing a month did for one client of an operator-wide run.
 *
 * @param clientId the client
 * @param status created, already closed, or refused
 * @param invoice the month's invoice; null if refused
 * @param error why the close was refused; null otherwise
 * @param reason the refusal's message for people; null otherwise
 */
public record ClientCloseOutcome(UUID clientId, Status status, InvoiceView invoice, BillingError error,
        String reason) {

    /** What happened to the client's month. */
    public enum Status {
        /** This run created the invoice (and finalized it, if asked to). */
        CREATED,
        /** The month had been closed before; the run at most finalized its draft. */
        ALREADY_CLOSED,
        /** The close was refused (see {@link #error()} and {@link #reason()}); nothing was written. */
        REFUSED
    }

    static ClientCloseOutcome closed(UUID clientId, ClosedInvoice closed) {
        return new ClientCloseOutcome(clientId, closed.created() ? Status.CREATED : Status.ALREADY_CLOSED,
                closed.invoice(), null, null);
    }

    static ClientCloseOutcome refused(UUID clientId, BillingException refusal) {
        return new ClientCloseOutcome(clientId, Status.REFUSED, null, refusal.error(), refusal.getMessage());
    }
}

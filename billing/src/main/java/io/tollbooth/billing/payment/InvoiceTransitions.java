package io.tollbooth.billing.payment;

import io.tollbooth.billing.invoice.BillingAudit;
import io.tollbooth.billing.invoice.Invoice;
import io.tollbooth.billing.invoice.InvoiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Moves an invoice to a payment status and audits the transition, in the caller's transaction. */
@ApplicationScoped
class InvoiceTransitions {

    /** The actor of every transition that Stripe's answers and events cause. */
    static final String ACTOR = "stripe";

    private static final Logger LOG = Logger.getLogger(InvoiceTransitions.class);

    private final BillingAudit audit;

    InvoiceTransitions(BillingAudit audit) {
        this.audit = audit;
    }

    /** The invoice, locked until the transaction ends so that two payment events apply one after the other. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<Invoice> lock(UUID invoiceId) {
        return Optional.ofNullable(Invoice.findById(invoiceId, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Sets the invoice's status and records who and why in the billing audit. */
    @Transactional(Transactional.TxType.MANDATORY)
    void move(Invoice invoice, InvoiceStatus to, String reason) {
        InvoiceStatus from = invoice.status;
        invoice.status = to;
        audit.record(BillingAudit.Entity.INVOICE, invoice.id, from.name(), to.name(), ACTOR, reason);
        LOG.infof("invoice status changed invoice=%s from=%s to=%s reason='%s'", invoice.number, from, to, reason);
    }
}

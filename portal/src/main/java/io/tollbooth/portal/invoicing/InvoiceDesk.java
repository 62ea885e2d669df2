package io.tollbooth.portal.invoicing;

import io.tollbooth.billing.invoice.BillingAudit;
import io.tollbooth.billing.invoice.ClientCloseOutcome;
import io.tollbooth.billing.invoice.CreditNoteView;
import io.tollbooth.billing.invoice.CreditNotes;
import io.tollbooth.billing.invoice.InvoiceLifecycle;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.invoice.InvoiceViews;
import io.tollbooth.billing.invoice.MonthEndRun;
import io.tollbooth.billing.payment.PushOutcome;
import io.tollbooth.billing.payment.StripeConfig;
import io.tollbooth.billing.payment.StripeInvoiceSync;
import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.tenant.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What an operator does with a month's invoices, for the admin API and the operator's pages alike: close the month,
 * review, finalize, regenerate, void, credit and push to Stripe. Billing does the work and keeps the audit trail;
 * this names the actor and turns "not there" and "Stripe is off" into the admin API's errors.
 */
@ApplicationScoped
public class InvoiceDesk {

    private static final Logger LOG = Logger.getLogger(InvoiceDesk.class);

    @Inject
    MonthEndRun monthEndRun;

    @Inject
    InvoiceLifecycle lifecycle;

    @Inject
    CreditNotes creditNotes;

    @Inject
    InvoiceViews views;

    @Inject
    BillingAudit audit;

    @Inject
    StripeInvoiceSync stripe;

    @Inject
    StripeConfig stripeConfig;

    /** Closes {@code month} for every client of the operator; see {@link MonthEndRun}. */
    public List<ClientCloseOutcome> closeMonth(UUID operatorId, YearMonth month, boolean closeEarly,
            boolean finalize, String actor) {
        return monthEndRun.closeMonth(operatorId, month, closeEarly, finalize, actor);
    }

    /** The operator's invoices for periods starting in {@code month}, by number, drafts last; 404 without it. */
    public List<InvoiceView> invoicesOf(UUID operatorId, YearMonth month) {
        operator(operatorId);
        return views.forOperatorMonth(operatorId, month);
    }

    /** The invoice; 404 if there is none. */
    public InvoiceView invoice(UUID invoiceId) {
        return views.find(invoiceId).orElseThrow(() -> AdminException.notFound("invoice", invoiceId));
    }

    /** The invoice's transitions, oldest first. */
    public List<BillingAudit.Entry> history(UUID invoiceId) {
        return audit.history(invoiceId);
    }

    public InvoiceView finalizeInvoice(UUID invoiceId, String actor) {
        return lifecycle.finalizeInvoice(invoiceId, actor);
    }

    public InvoiceView regenerate(UUID invoiceId, String actor) {
        return lifecycle.regenerate(invoiceId, actor);
    }

    public InvoiceView voidInvoice(UUID invoiceId, String reason, String actor) {
        return lifecycle.voidInvoice(invoiceId, actor, reason);
    }

    public CreditNoteView credit(UUID invoiceId, CreditNotes.Request request, String actor) {
        return creditNotes.issue(invoiceId, request, actor);
    }

    /** Whether invoices can be pushed to Stripe in this installation. */
    public boolean stripeEnabled() {
        return stripeConfig.enabled();
    }

    /** Pushes the invoice to Stripe now; 404 without it, 409 (payments off) when Stripe is not enabled. */
    public PushOutcome pushToStripe(UUID invoiceId) {
        invoice(invoiceId);
        if (!stripeEnabled()) {
            throw new AdminException(AdminError.PAYMENTS_OFF,
                    "Stripe is not enabled here (tollbooth.billing.stripe.enabled); nothing was sent");
        }
        PushOutcome outcome = stripe.push(invoiceId);
        LOG.infof("stripe_push_requested invoice=%s result=%s", invoiceId, outcome.result());
        return outcome;
    }

    /** The operator; 404 if there is none. */
    public Operator operator(UUID operatorId) {
        return Operator.<Operator>findByIdOptional(operatorId)
                .orElseThrow(() -> AdminException.notFound("operator", operatorId));
    }
}

package io.tollbooth.billing;

import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.invoice.InvoiceCloser;
import io.tollbooth.billing.invoice.InvoiceLifecycle;
import io.tollbooth.billing.invoice.InvoiceView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.YearMonth;

/** Closes and finalizes invoices in one step, for tests about what an issued invoice shows. */
@ApplicationScoped
public class Invoicing {

    /** The actor the tests' transitions are audited under. */
    public static final String ACTOR = "test-admin";

    private final InvoiceCloser closer;
    private final InvoiceLifecycle lifecycle;

    Invoicing(InvoiceCloser closer, InvoiceLifecycle lifecycle) {
        this.closer = closer;
        this.lifecycle = lifecycle;
    }

    /** Closes the client's month into a draft. */
    public InvoiceView draft(Client client, YearMonth month) {
        return closer.closeMonth(client.id(), month, false, ACTOR).invoice();
    }

    /** Closes the client's month and finalizes its invoice. */
    public InvoiceView issue(Client client, YearMonth month) {
        return lifecycle.finalizeInvoice(draft(client, month).id(), ACTOR);
    }
}

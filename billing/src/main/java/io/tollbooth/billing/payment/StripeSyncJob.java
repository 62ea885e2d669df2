package io.tollbooth.billing.payment;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Pushes finalized invoices to Stripe every {@code tollbooth.billing.stripe.sync-every} while Stripe is enabled, and
 * resumes pushes that a crash or an outage interrupted. Several control-plane instances may run it at once: the
 * idempotency keys make their pushes of one invoice converge on the same Stripe objects.
 */
@ApplicationScoped
public class StripeSyncJob {

    private static final Logger LOG = Logger.getLogger(StripeSyncJob.class);

    private final StripeInvoiceSync sync;

    StripeSyncJob(StripeInvoiceSync sync) {
        this.sync = sync;
    }

    @Scheduled(identity = "stripe-invoice-sync", every = "${tollbooth.billing.stripe.sync-every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = StripeOff.class)
    void pushPending() {
        try {
            sync.pushPending();
        } catch (RuntimeException e) {
            // The database or the process is in trouble; the next run starts over from the local records.
            LOG.errorf(e, "stripe sync run failed");
        }
    }

    /** Skips the job while Stripe is switched off. */
    @Singleton
    public static class StripeOff implements Scheduled.SkipPredicate {

        private final StripeConfig config;

        StripeOff(StripeConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.enabled();
        }
    }
}

package io.tollbooth.billing.invoice;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the scheduled invoice run ({@link ScheduledInvoiceRun}). */
@ConfigMapping(prefix = "tollbooth.billing.invoice-run")
public interface InvoiceRunConfig {

    /**
     * When the run starts, as a Quartz-style cron expression in the control plane's time zone; {@code off} switches
     * the scheduled run off (the on-demand run stays). Hourly by default, so that every client's period is closed
     * within an hour of its end in the client's own time zone.
     */
    @WithDefault("0 5 * * * ?")
    String cron();

    /**
     * Whether the run also finalizes the drafts it makes, numbering them. Off by default: an operator reviews the
     * drafts and finalizes them through the admin API.
     */
    @WithDefault("false")
    boolean finalize();

    /** The most periods the run closes for one client in one go, so a long-dormant client cannot stall it. */
    @WithDefault("36")
    int maxPeriodsPerClient();

    /**
     * How many clients the run closes at once, each on a thread and a database connection of its own (besides the
     * connection that holds the run's lock). Invoice numbers stay gapless: finalizations of one operator queue on
     * its number counter, and the numbers follow the order the finalizations commit in, not the clients' order.
     */
    @WithDefault("2")
    int workers();

    /** The most refusals a run's report lists one by one (the log has them all); the report counts every one. */
    @WithDefault("100")
    int maxReportedRefusals();
}

package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Closes every client's billing periods that have ended, on a schedule ({@link InvoiceRunConfig#cron()}).
 *
 * <p>With several control-plane instances each run happens once: the run holds a PostgreSQL advisory lock (per
 * schema) while it works, and an instance that cannot take it skips its turn. An instance that starts after
 * another has finished finds every period closed and creates nothing, because closing is idempotent; a crash
 * half-way releases the lock with the connection, and the next run closes what is left (and, when it finalizes,
 * first finalizes the drafts the crashed run had not finalized yet).
 *
 * <p>A client's periods close in order: the first one after its latest invoice (or the one it signed up in) and
 * those after it, as long as they have ended. A refused period (unpriced usage) stops that client's catch-up, so
 * the next run tries the same period again rather than leaving it behind.
 */
@ApplicationScoped
public class ScheduledInvoiceRun {

    private static final Logger LOG = Logger.getLogger(ScheduledInvoiceRun.class);

    /** How many invoices one {@link InvoicesClosed} event names at most. */
    static final int BATCH_SIZE = 25;

    // Clients are read this many at a time, by operator and slug, so the run never holds them all.
    private static final int PAGE_SIZE = 500;

    // Advisory locks are database-wide; the schema in the key keeps test schemas and installations apart.
    private static final String LOCK_KEY = "hashtext(current_schema() || ':tollbooth.billing.invoice-run')";

    // What the run needs to know of each client to find its first open period, in one round trip per page: the
    // billing day and zone, when it signed up, its latest invoice's period and whether it has drafts.
    private static final String CLIENT_PAGE = """
            SELECT c.id, c.slug, o.slug, c.time_zone, COALESCE(b.billing_day, 1), c.created_at,
                   l.period_start, l.period_end, l.time_zone,
                   EXISTS (SELECT 1 FROM invoice d WHERE d.client_id = c.id AND d.status = 'DRAFT')
              FROM (SELECT c.id FROM client c JOIN operator o ON o.id = c.operator_id
                     WHERE (o.slug, c.slug) > (?, ?) ORDER BY o.slug, c.slug LIMIT ?) page
              JOIN client c ON c.id = page.id
              JOIN operator o ON o.id = c.operator_id
              LEFT JOIN billing_account b ON b.client_id = c.id
              LEFT JOIN LATERAL (SELECT i.period_start, i.period_end, i.time_zone FROM invoice i
                                  WHERE i.client_id = c.id ORDER BY i.period_start DESC LIMIT 1) l ON true
             ORDER BY o.slug, c.slug
            """;

    private final AgroalDataSource dataSource;
    private final InvoiceCloser closer;
    private final InvoiceLifecycle lifecycle;
    private final RatingAdjustments adjustments;
    private final InvoiceRunConfig config;
    private final Event<InvoicesClosed> closed;
    private final Event<InvoiceRunCompleted> completed;
    private final Clock clock;

    ScheduledInvoiceRun(AgroalDataSource dataSource, InvoiceCloser closer, InvoiceLifecycle lifecycle,
            RatingAdjustments adjustments, InvoiceRunConfig config, Event<InvoicesClosed> closed,
            Event<InvoiceRunCompleted> completed, Clock clock) {
        this.dataSource = dataSource;
        this.closer = closer;
        this.lifecycle = lifecycle;
        this.adjustments = adjustments;
        this.config = config;
        this.closed = closed;
        this.completed = completed;
        this.clock = clock;
    }

    /**
     * What one run did, counted: the run does not keep each client's outcome, so that its memory stays the same
     * however many clients it closes. The invoices themselves went to observers of {@link InvoicesClosed}.
     *
     * @param ran false if another instance held the lock and this one skipped its turn
     * @param created periods closed into a new invoice (finalized, if the run finalizes)
     * @param alreadyClosed periods found closed whose draft the run finalized (a run that crashed left it)
     * @param refused periods the run refused to close (unpriced usage, a currency mismatch)
     * @param refusals the first refusals, at most {@link InvoiceRunConfig#maxReportedRefusals()}, in the order they
     *     happened
     */
    public record Report(boolean ran, long created, long alreadyClosed, long refused,
            List<ClientCloseOutcome> refusals) {

        /** How many periods had the status. */
        public long count(ClientCloseOutcome.Status status) {
            return switch (status) {
                case CREATED -> created;
                case ALREADY_CLOSED -> alreadyClosed;
                case REFUSED -> refused;
            };
        }

        /** How many periods the run closed or refused. */
        public long periods() {
            return created + alreadyClosed + refused;
        }
    }

    @Scheduled(identity = "tollbooth-invoice-run", cron = "{tollbooth.billing.invoice-run.cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        run();
    }

    /**
     * Runs now: closes every ended period of every client into a draft, and finalizes the drafts if
     * {@link InvoiceRunConfig#finalize()} says so. Must not be called inside a transaction.
     */
    public Report run() {
        return run(config.finalize());
    }

    /**
     * Runs now: credits what re-rating found issued invoices charged too much ({@link RatingAdjustments}), then
     * closes every ended period of every client into a draft, and with {@code finalize} also finalizes each in the
     * same transaction, and any draft of an ended period that an earlier run left behind (it crashed, or ran
     * without finalizing).
     *
     * <p>Clients are closed {@link InvoiceRunConfig#workers()} at a time, each client's periods in order. A refused
     * period is counted and the run goes on; any other failure (the database is gone) stops the run once the
     * clients in progress are done, and is thrown; running it again is safe. Must not be called inside a
     * transaction.
     *
     * @param finalize whether to finalize, numbering the invoices
     * @return what the run did; {@link Report#ran()} is false if another instance was running
     */
    public Report run(boolean finalize) {
        try (Connection lock = dataSource.getConnection()) {
            if (!call(lock, "SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
                LOG.infof("invoice run skipped reason=another_instance_is_running");
                return new Report(false, 0, 0, 0, List.of());
            }
            try {
                adjustments.creditOverchargedInvoices(null, BillingAudit.SYSTEM);
                return closeEndedPeriods(finalize);
            } finally {
                call(lock, "SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
        } catch (SQLException e) {
            throw new PersistenceException("invoice run lock failed: " + e.getMessage(), e);
        }
    }

    private Report closeEndedPeriods(boolean finalize) {
        RunState state = new RunState(clock.instant(), finalize, config.maxReportedRefusals());
        long started = System.nanoTime();
        LOG.infof("invoice run started run=%s finalize=%s workers=%d", state.runId, finalize, config.workers());
        ExecutorService workers = Executors.newFixedThreadPool(config.workers(), new WorkerThreads(state.runId));
        // At most two batches per worker wait or run, so the run's memory does not grow with the clients.
        Semaphore inFlight = new Semaphore(2 * config.workers());
        try {
            submitAll(state, workers, inFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.fail(new IllegalStateException("invoice run interrupted", e));
        } finally {
            workers.shutdown();
            awaitWorkers(workers, state);
        }
        if (state.failure.get() != null) {
            throw state.failure.get();
        }

        Report report = state.report();
        completed.fire(new InvoiceRunCompleted(state.runId, state.invoices.sum(), report.refused()));
        LOG.infof("invoice run done run=%s periods=%d created=%d already_closed=%d refused=%d finalize=%s"
                + " seconds=%.1f", state.runId, report.periods(), report.created(), report.alreadyClosed(),
                report.refused(), finalize, (System.nanoTime() - started) / 1e9);
        return report;
    }

    private void submitAll(RunState state, ExecutorService workers, Semaphore inFlight)
            throws InterruptedException {
        String[] after = {"", ""};
        List<ClientPlan> page;
        do {
            page = clientPage(after[0], after[1]);
            for (int from = 0; from < page.size() && !state.failed(); from += BATCH_SIZE) {
                List<ClientPlan> batch = page.subList(from, Math.min(from + BATCH_SIZE, page.size()));
                inFlight.acquire();
                workers.execute(() -> {
                    try {
                        closeBatch(batch, state);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            if (!page.isEmpty()) {
                ClientPlan last = page.get(page.size() - 1);
                after = new String[] {last.operatorSlug(), last.slug()};
            }
        } while (page.size() == PAGE_SIZE && !state.failed());
    }

    private static void awaitWorkers(ExecutorService workers, RunState state) {
        boolean interrupted = false;
        while (true) {
            try {
                if (workers.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
                LOG.infof("invoice run waiting for its workers run=%s", state.runId);
            } catch (InterruptedException e) {
                // The lock must stay held until no worker writes any more; keep waiting, then pass it on.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // One worker's share: its clients one after the other, then their invoices to the observers.
    private void closeBatch(List<ClientPlan> batch, RunState state) {
        List<UUID> invoiceIds = new ArrayList<>(batch.size());
        for (ClientPlan client : batch) {
            if (state.failed()) {
                break;
            }
            try {
                closeClient(client, state, invoiceIds);
            } catch (RuntimeException e) {
                LOG.errorf(e, "invoice run stopped run=%s client=%s", state.runId, client.slug());
                state.fail(e);
            }
        }
        if (!invoiceIds.isEmpty()) {
            state.invoices.add(invoiceIds.size());
            closed.fire(new InvoicesClosed(state.runId, List.copyOf(invoiceIds)));
        }
    }

    private void closeClient(ClientPlan client, RunState state, List<UUID> invoiceIds) {
        if (state.finalize && client.hasDrafts() && !finalizeLeftDrafts(client, state, invoiceIds)) {
            return;
        }
        BillingPeriod period = client.firstOpenPeriod();
        int closes = 0;
        while (period.hasEndedAt(state.now)) {
            if (closes++ == config.maxPeriodsPerClient()) {
                LOG.warnf("invoice run stopped catching up client=%s next_period=%s max=%d", client.slug(), period,
                        config.maxPeriodsPerClient());
                break;
            }
            if (!closeOne(client, period, state, invoiceIds)) {
                break;
            }
            period = period.next();
        }
    }

    // Drafts of ended periods that an earlier run left behind: it crashed between the steps, or did not finalize.
    // False if one was refused, which stops the client's catch-up.
    private boolean finalizeLeftDrafts(ClientPlan client, RunState state, List<UUID> invoiceIds) {
        List<Draft> drafts = Sql.query(dataSource, """
                SELECT id, period_start, period_end, time_zone FROM invoice WHERE client_id = ? AND status = 'DRAFT'
                 ORDER BY period_start""", rs -> new Draft(rs.getObject(1, UUID.class), new BillingPeriod(
                rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class), ZoneId.of(rs.getString(4)))),
                client.clientId());
        for (Draft draft : drafts) {
            if (!draft.period().hasEndedAt(state.now)) {
                continue;
            }
            try {
                lifecycle.finalizeInvoice(draft.id(), BillingAudit.SYSTEM);
                state.alreadyClosed.increment();
                invoiceIds.add(draft.id());
            } catch (BillingException refusal) {
                LOG.warnf("draft not finalized client=%s invoice=%s error=%s reason=%s", client.slug(), draft.id(),
                        refusal.error(), refusal.getMessage());
                state.refused(ClientCloseOutcome.refused(client.clientId(), refusal));
                return false;
            }
        }
        return true;
    }

    // False if the period was refused.
    private boolean closeOne(ClientPlan client, BillingPeriod period, RunState state, List<UUID> invoiceIds) {
        try {
            InvoiceCloser.ClosedId closedId = closer.closeEnded(client.clientId(), period.month(), state.finalize,
                    BillingAudit.SYSTEM);
            (closedId.created() ? state.created : state.alreadyClosed).increment();
            invoiceIds.add(closedId.invoiceId());
            return true;
        } catch (BillingException refusal) {
            LOG.warnf("period not closed client=%s period=%s error=%s reason=%s", client.slug(), period,
                    refusal.error(), refusal.getMessage());
            state.refused(ClientCloseOutcome.refused(client.clientId(), refusal));
            return false;
        }
    }

    private List<ClientPlan> clientPage(String afterOperatorSlug, String afterClientSlug) {
        return Sql.query(dataSource, CLIENT_PAGE, rs -> {
            ZoneId zone = ZoneId.of(rs.getString(4));
            LocalDate lastStart = rs.getObject(7, LocalDate.class);
            BillingPeriod lastInvoiced = lastStart == null ? null : new BillingPeriod(lastStart,
                    rs.getObject(8, LocalDate.class), ZoneId.of(rs.getString(9)));
            return new ClientPlan(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), zone, rs.getInt(5),
                    rs.getObject(6, OffsetDateTime.class).toInstant(), lastInvoiced, rs.getBoolean(10));
        }, afterOperatorSlug, afterClientSlug, PAGE_SIZE);
    }

    /**
     * What the run knows of a client before closing its periods.
     *
     * @param lastInvoiced the period of the client's latest invoice; null if it has none
     * @param hasDrafts whether any of its invoices is a draft
     */
    private record ClientPlan(UUID clientId, String slug, String operatorSlug, ZoneId zone, int billingDay,
            Instant since, BillingPeriod lastInvoiced, boolean hasDrafts) {

        /** The first period after the latest invoice's, or the one the client signed up in. */
        BillingPeriod firstOpenPeriod() {
            return lastInvoiced != null ? BillingPeriod.of(lastInvoiced.next().month(), zone, billingDay)
                    : BillingPeriod.containing(since, zone, billingDay);
        }
    }

    /** A draft invoice and its period. */
    private record Draft(UUID id, BillingPeriod period) {
    }

    /** What a run has done so far, updated by its workers. */
    private static final class RunState {
        final UUID runId = UUID.randomUUID();
        final Instant now;
        final boolean finalize;
        final LongAdder created = new LongAdder();
        final LongAdder alreadyClosed = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder invoices = new LongAdder();
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private final int maxRefusals;
        private final List<ClientCloseOutcome> refusals = new ArrayList<>();

        RunState(Instant now, boolean finalize, int maxRefusals) {
            this.now = now;
            this.finalize = finalize;
            this.maxRefusals = maxRefusals;
        }

        synchronized void refused(ClientCloseOutcome outcome) {
            refused.increment();
            if (refusals.size() < maxRefusals) {
                refusals.add(outcome);
            }
        }

        void fail(RuntimeException e) {
            if (!failure.compareAndSet(null, e)) {
                failure.get().addSuppressed(e);
            }
        }

        boolean failed() {
            return failure.get() != null;
        }

        synchronized Report report() {
            return new Report(true, created.sum(), alreadyClosed.sum(), refused.sum(), List.copyOf(refusals));
        }
    }

    /** Names the run's worker threads after the run, so log lines and thread dumps say whose they are. */
    private static final class WorkerThreads implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger next = new AtomicInteger(1);

        WorkerThreads(UUID runId) {
            this.prefix = "invoice-run-" + runId.toString().substring(0, 8) + "-";
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, prefix + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        }
    }

    private static boolean call(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

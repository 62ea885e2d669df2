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
import java.util.Optional;
import java.util.UUID;
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

    // Advisory locks are database-wide; the schema in the key keeps test schemas and installations apart.
    private static final String LOCK_KEY = "hashtext(current_schema() || ':tollbooth.billing.invoice-run')";

    private final AgroalDataSource dataSource;
    private final InvoiceCloser closer;
    private final InvoiceLifecycle lifecycle;
    private final RatingAdjustments adjustments;
    private final ClientAccounts accounts;
    private final InvoiceRunConfig config;
    private final Event<InvoiceRunCompleted> completed;
    private final Clock clock;

    ScheduledInvoiceRun(AgroalDataSource dataSource, InvoiceCloser closer, InvoiceLifecycle lifecycle,
            RatingAdjustments adjustments, ClientAccounts accounts, InvoiceRunConfig config,
            Event<InvoiceRunCompleted> completed, Clock clock) {
        this.dataSource = dataSource;
        this.closer = closer;
        this.lifecycle = lifecycle;
        this.adjustments = adjustments;
        this.accounts = accounts;
        this.config = config;
        this.completed = completed;
        this.clock = clock;
    }

    /**
     * What one run did.
     *
     * @param ran false if another instance held the lock and this one skipped its turn
     * @param outcomes one per period the run tried to close, by client
     */
    public record Report(boolean ran, List<ClientCloseOutcome> outcomes) {

        /** How many outcomes have the status. */
        public long count(ClientCloseOutcome.Status status) {
            return outcomes.stream().filter(o -> o.status() == status).count();
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
     * closes every ended period of every client into a draft, and with {@code finalize} also finalizes
     * those drafts and any draft of an ended period that an earlier run left behind (it crashed between drafting
     * and finalizing). Must not be called inside a transaction.
     *
     * @param finalize whether to finalize, numbering the invoices
     * @return what the run did; {@link Report#ran()} is false if another instance was running
     */
    public Report run(boolean finalize) {
        try (Connection lock = dataSource.getConnection()) {
            if (!call(lock, "SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
                LOG.infof("invoice run skipped reason=another_instance_is_running");
                return new Report(false, List.of());
            }
            try {
                adjustments.creditOverchargedInvoices(null, BillingAudit.SYSTEM);
                Report report = closeEndedPeriods(finalize);
                completed.fire(InvoiceRunCompleted.of(report.outcomes()));
                return report;
            } finally {
                call(lock, "SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
        } catch (SQLException e) {
            throw new PersistenceException("invoice run lock failed: " + e.getMessage(), e);
        }
    }

    private Report closeEndedPeriods(boolean finalize) {
        Instant now = clock.instant();
        List<ClientCloseOutcome> outcomes = new ArrayList<>();
        for (UUID clientId : accounts.allClientIds()) {
            Optional<ClientAccount> account = accounts.find(clientId);
            account.ifPresent(a -> outcomes.addAll(closeClient(a, now, finalize)));
        }
        Report report = new Report(true, outcomes);
        LOG.infof("invoice run done periods=%d created=%d refused=%d finalize=%s", outcomes.size(),
                report.count(ClientCloseOutcome.Status.CREATED), report.count(ClientCloseOutcome.Status.REFUSED),
                finalize);
        return report;
    }

    private List<ClientCloseOutcome> closeClient(ClientAccount account, Instant now, boolean finalize) {
        List<ClientCloseOutcome> outcomes = new ArrayList<>();
        if (finalize) {
            outcomes.addAll(finalizeLeftDrafts(account, now));
            if (outcomes.stream().anyMatch(o -> o.status() == ClientCloseOutcome.Status.REFUSED)) {
                return outcomes;
            }
        }
        BillingPeriod period = firstOpenPeriod(account);
        int closes = 0;
        while (period.hasEndedAt(now)) {
            if (closes++ == config.maxPeriodsPerClient()) {
                LOG.warnf("invoice run stopped catching up client=%s next_period=%s max=%d", account.clientSlug(),
                        period, config.maxPeriodsPerClient());
                break;
            }
            ClientCloseOutcome outcome = closeOne(account.clientId(), period, finalize);
            outcomes.add(outcome);
            if (outcome.status() == ClientCloseOutcome.Status.REFUSED) {
                break;
            }
            period = period.next();
        }
        return outcomes;
    }

    // Drafts of ended periods that a run which finalizes left behind, because it stopped between the two steps.
    private List<ClientCloseOutcome> finalizeLeftDrafts(ClientAccount account, Instant now) {
        List<ClientCloseOutcome> outcomes = new ArrayList<>();
        List<Draft> drafts = Sql.query(dataSource, """
                SELECT id, period_start, period_end, time_zone FROM invoice WHERE client_id = ? AND status = 'DRAFT'
                 ORDER BY period_start""", rs -> new Draft(rs.getObject(1, UUID.class), new BillingPeriod(
                rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class), ZoneId.of(rs.getString(4)))),
                account.clientId());
        for (Draft draft : drafts) {
            if (!draft.period().hasEndedAt(now)) {
                continue;
            }
            try {
                InvoiceView invoice = lifecycle.finalizeInvoice(draft.id(), BillingAudit.SYSTEM);
                outcomes.add(ClientCloseOutcome.closed(account.clientId(), new ClosedInvoice(invoice, false)));
            } catch (BillingException refusal) {
                LOG.warnf("draft not finalized client=%s invoice=%s error=%s reason=%s", account.clientSlug(),
                        draft.id(), refusal.error(), refusal.getMessage());
                outcomes.add(ClientCloseOutcome.refused(account.clientId(), refusal));
                break;
            }
        }
        return outcomes;
    }

    private ClientCloseOutcome closeOne(UUID clientId, BillingPeriod period, boolean finalize) {
        try {
            ClosedInvoice closed = closer.closeMonth(clientId, period.month(), false, BillingAudit.SYSTEM);
            if (finalize && closed.invoice().status() == InvoiceStatus.DRAFT) {
                closed = new ClosedInvoice(lifecycle.finalizeInvoice(closed.invoice().id(), BillingAudit.SYSTEM),
                        closed.created());
            }
            return ClientCloseOutcome.closed(clientId, closed);
        } catch (BillingException refusal) {
            LOG.warnf("period not closed client=%s period=%s error=%s reason=%s", clientId, period, refusal.error(),
                    refusal.getMessage());
            return ClientCloseOutcome.refused(clientId, refusal);
        }
    }

    private BillingPeriod firstOpenPeriod(ClientAccount account) {
        Optional<BillingPeriod> last = Sql.query(dataSource, """
                SELECT period_start, period_end, time_zone FROM invoice WHERE client_id = ?
                 ORDER BY period_start DESC LIMIT 1""", rs -> new BillingPeriod(
                rs.getObject(1, LocalDate.class), rs.getObject(2, LocalDate.class),
                ZoneId.of(rs.getString(3))), account.clientId()).stream().findFirst();
        if (last.isPresent()) {
            return account.periodStartingIn(last.get().next().month());
        }
        Instant since = Sql.query(dataSource, "SELECT created_at FROM client WHERE id = ?",
                rs -> rs.getObject(1, OffsetDateTime.class).toInstant(), account.clientId()).get(0);
        return BillingPeriod.containing(since, account.zone(), account.terms().billingDay());
    }

    /** A draft invoice and its period. */
    private record Draft(UUID id, BillingPeriod period) {
    }

    private static boolean call(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

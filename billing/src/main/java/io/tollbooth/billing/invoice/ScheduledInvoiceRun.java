package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
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
 * half-way releases the lock with the connection, and the next run closes what is left.
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
    private final ClientAccounts accounts;
    private final InvoiceRunConfig config;
    private final Clock clock;

    ScheduledInvoiceRun(AgroalDataSource dataSource, InvoiceCloser closer, InvoiceLifecycle lifecycle,
            ClientAccounts accounts, InvoiceRunConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.closer = closer;
        this.lifecycle = lifecycle;
        this.accounts = accounts;
        this.config = config;
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
        try (Connection lock = dataSource.getConnection()) {
            if (!call(lock, "SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
                LOG.infof("invoice run skipped reason=another_instance_is_running");
                return new Report(false, List.of());
            }
            try {
                return closeEndedPeriods();
            } finally {
                call(lock, "SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
        } catch (SQLException e) {
            throw new PersistenceException("invoice run lock failed: " + e.getMessage(), e);
        }
    }

    private Report closeEndedPeriods() {
        Instant now = clock.instant();
        List<ClientCloseOutcome> outcomes = new ArrayList<>();
        for (UUID clientId : accounts.allClientIds()) {
            Optional<ClientAccount> account = accounts.find(clientId);
            account.ifPresent(a -> outcomes.addAll(closeClient(a, now)));
        }
        Report report = new Report(true, outcomes);
        LOG.infof("invoice run done periods=%d created=%d refused=%d finalize=%s", outcomes.size(),
                report.count(ClientCloseOutcome.Status.CREATED), report.count(ClientCloseOutcome.Status.REFUSED),
                config.finalize());
        return report;
    }

    private List<ClientCloseOutcome> closeClient(ClientAccount account, Instant now) {
        List<ClientCloseOutcome> outcomes = new ArrayList<>();
        BillingPeriod period = firstOpenPeriod(account);
        while (period.hasEndedAt(now)) {
            if (outcomes.size() == config.maxPeriodsPerClient()) {
                LOG.warnf("invoice run stopped catching up client=%s next_period=%s max=%d", account.clientSlug(),
                        period, config.maxPeriodsPerClient());
                break;
            }
            ClientCloseOutcome outcome = closeOne(account.clientId(), period);
            outcomes.add(outcome);
            if (outcome.status() == ClientCloseOutcome.Status.REFUSED) {
                break;
            }
            period = period.next();
        }
        return outcomes;
    }

    private ClientCloseOutcome closeOne(UUID clientId, BillingPeriod period) {
        try {
            ClosedInvoice closed = closer.closeMonth(clientId, period.month(), false, BillingAudit.SYSTEM);
            if (config.finalize() && closed.invoice().status() == InvoiceStatus.DRAFT) {
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

    private static boolean call(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

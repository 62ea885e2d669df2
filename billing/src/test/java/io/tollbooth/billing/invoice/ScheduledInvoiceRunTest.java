package io.tollbooth.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.invoice.ClientCloseOutcome.Status;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduled run closes every ended period once, in order; only one instance runs at a time, and a run after
 * a crash finishes the crashed run's work without doing any of it twice.
 */
@QuarkusTest
class ScheduledInvoiceRunTest {

    private static final String LOCK = "hashtext(current_schema() || ':tollbooth.billing.invoice-run')";

    @Inject
    ScheduledInvoiceRun run;

    @Inject
    BillingAccounts billingAccounts;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RecordedInvoiceRuns runs;

    private Operator acme;

    @BeforeEach
    void startFromNothing() {
        fixtures.clear();
        runs.clear();
        acme = fixtures.operator("acme", "Acme AI Services");
    }

    @Test
    void closesEveryPeriodThatHasEndedSinceTheClientSignedUpOnce() throws Exception {
        Client client = fixtures.client(acme, "alpha", "Alpha", "USD", "Europe/Berlin",
                Instant.parse("2026-03-20T10:00:00Z"));
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", "2026-04-10T00:00:00Z", 1, Tokens.input(1_000_000));
        // June ends in Berlin at 2026-06-30T22:00:00Z; a minute before, only March to May have ended.
        clock.set("2026-06-30T21:59:00Z");

        ScheduledInvoiceRun.Report first = run.run();
        clock.set("2026-06-30T22:00:00Z");
        ScheduledInvoiceRun.Report second = run.run();
        ScheduledInvoiceRun.Report third = run.run();

        assertThat(first.ran()).isTrue();
        assertThat(List.of(first.created(), first.alreadyClosed(), first.refused())).containsExactly(3L, 0L, 0L);
        assertThat(List.of(second.created(), second.periods())).containsExactly(1L, 1L);
        assertThat(third.periods()).isZero();
        assertThat(invoices()).containsExactly(
                "alpha 2026-03-01 DRAFT - 0.00",
                "alpha 2026-04-01 DRAFT - 2.50",
                "alpha 2026-05-01 DRAFT - 0.00",
                "alpha 2026-06-01 DRAFT - 0.00");
    }

    @Test
    void announcesTheInvoicesOfEachRunForReconciliation() throws Exception {
        threeClientsWithAprilUsage();
        clock.set("2026-05-01T00:00:00Z");

        run.run(true);
        run.run(true);

        List<InvoiceRunCompleted> completed = runs.runs();
        assertThat(completed).extracting(InvoiceRunCompleted::invoices, InvoiceRunCompleted::refused)
                .containsExactly(tuple(3L, 0L), tuple(0L, 0L));
        assertThat(runs.batches()).extracting(InvoicesClosed::runId).containsExactly(completed.get(0).runId());
        assertThat(runs.batches().get(0).invoiceIds()).containsExactlyInAnyOrderElementsOf(invoiceIds());
    }

    @Test
    void closesPeriodsOnTheClientsBillingDay() throws Exception {
        Client client = fixtures.client(acme, "alpha", "Alpha", "USD", "UTC", Instant.parse("2026-05-20T00:00:00Z"));
        billingAccounts.update(client.id(), new BillingTerms(15, 30, Locale.US, null, null, null, null, null,
                List.of()));
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", "2026-06-14T23:59:59Z", 1, Tokens.input(1_000_000));
        fixtures.rated(client, "gpt-4o", "2026-06-15T00:00:00Z", 1, Tokens.input(2_000_000));
        clock.set("2026-07-15T00:00:00Z");

        ScheduledInvoiceRun.Report report = run.run();

        assertThat(report.created()).isEqualTo(2);
        assertThat(invoices()).containsExactly("alpha 2026-05-15 DRAFT - 2.50", "alpha 2026-06-15 DRAFT - 5.00");
    }

    @Test
    void stopsAtARefusedPeriodAndTriesItAgainNextTime() {
        Client client = fixtures.client(acme, "alpha", "Alpha", "USD", "UTC", Instant.parse("2026-04-02T00:00:00Z"));
        fixtures.unpriced(client, "mystery-model", "2026-04-10T00:00:00Z", 1);
        clock.set("2026-06-01T00:00:00Z");

        ScheduledInvoiceRun.Report report = run.run();
        ScheduledInvoiceRun.Report again = run.run();

        assertThat(List.of(report.created(), report.refused())).containsExactly(0L, 1L);
        assertThat(report.refusals()).extracting(ClientCloseOutcome::clientId, ClientCloseOutcome::status,
                ClientCloseOutcome::error).containsExactly(tuple(client.id(), Status.REFUSED,
                BillingError.UNPRICED_USAGE));
        assertThat(again.refusals()).extracting(ClientCloseOutcome::status).containsExactly(Status.REFUSED);
        assertThat(fixtures.count("invoice")).isZero();
    }

    @Test
    void skipsItsTurnWhileAnotherInstanceIsRunning() throws Exception {
        fixtures.client(acme, "alpha", "Alpha", "USD", "UTC", Instant.parse("2026-04-02T00:00:00Z"));
        clock.set("2026-06-01T00:00:00Z");

        try (Connection otherInstance = dataSource.getConnection()) {
            assertThat(call(otherInstance, "SELECT pg_try_advisory_lock(" + LOCK + ")")).isTrue();

            ScheduledInvoiceRun.Report skipped = run.run();

            assertThat(skipped.ran()).isFalse();
            assertThat(fixtures.count("invoice")).isZero();
            assertThat(call(otherInstance, "SELECT pg_advisory_unlock(" + LOCK + ")")).isTrue();
        }
        assertThat(run.run().created()).isEqualTo(2);
    }

    @Test
    void runsOnceWhenTwoInstancesStartTogether() throws Exception {
        List<Client> clients = threeClientsWithAprilUsage();
        clock.set("2026-06-01T00:00:00Z");

        ScheduledInvoiceRun.Report second;
        Future<ScheduledInvoiceRun.Report> first;
        ExecutorService firstInstance = Executors.newSingleThreadExecutor();
        try (Connection blocker = dataSource.getConnection()) {
            // Hold alpha's row so the first run is certainly still working when the second one starts.
            blocker.setAutoCommit(false);
            update(blocker, "SELECT id FROM client WHERE id = '" + clients.get(0).id() + "' FOR UPDATE");
            long blockerPid = number(blocker, "SELECT pg_backend_pid()");
            first = firstInstance.submit(() -> run.run(true));
            // Asked on a connection of its own: a transaction sees pg_stat_activity as it was when it first looked.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> number("SELECT count(*) FROM"
                    + " pg_stat_activity WHERE " + blockerPid + " = ANY(pg_blocking_pids(pid))") == 1);

            second = run.run(true);

            blocker.rollback();
        } finally {
            firstInstance.shutdown();
        }
        ScheduledInvoiceRun.Report firstReport = first.get();

        assertThat(second.ran()).isFalse();
        assertThat(second.periods()).isZero();
        assertThat(firstReport.ran()).isTrue();
        assertThat(firstReport.count(Status.CREATED)).isEqualTo(6);
        assertThat(run.run(true).periods()).isZero();
        assertThat(invoices()).containsExactly(
                "alpha 2026-04-01 FINALIZED ACME-2026-000001 2.50",
                "alpha 2026-05-01 FINALIZED ACME-2026-000002 0.00",
                "beta 2026-04-01 FINALIZED ACME-2026-000003 2.50",
                "beta 2026-05-01 FINALIZED ACME-2026-000004 0.00",
                "gamma 2026-04-01 FINALIZED ACME-2026-000005 2.50",
                "gamma 2026-05-01 FINALIZED ACME-2026-000006 0.00");
    }

    @Test
    void leavesNeitherDraftNorNumberOfAClientWhoseFinalizationCrashedAndRedoesItOnce() throws Exception {
        List<Client> clients = threeClientsWithAprilUsage();
        clock.set("2026-05-01T00:00:00Z");

        // Closing and finalizing are one transaction: the crash takes beta's draft back with its number.
        crashWhen("BEFORE UPDATE", "NEW.status = 'FINALIZED' AND NEW.client_id = '" + clients.get(1).id() + "'",
                () -> assertThatThrownBy(() -> run.run(true)).isNotInstanceOf(BillingException.class));

        assertThat(invoices()).containsExactly("alpha 2026-04-01 FINALIZED ACME-2026-000001 2.50");
        assertThat(number("SELECT count(*) FROM rated_usage WHERE invoice_id IS NULL")).isEqualTo(2);

        ScheduledInvoiceRun.Report rerun = run.run(true);

        assertThat(List.of(rerun.created(), rerun.alreadyClosed(), rerun.refused())).containsExactly(2L, 0L, 0L);
        assertThat(invoices()).containsExactly(
                "alpha 2026-04-01 FINALIZED ACME-2026-000001 2.50",
                "beta 2026-04-01 FINALIZED ACME-2026-000002 2.50",
                "gamma 2026-04-01 FINALIZED ACME-2026-000003 2.50");
        assertThat(number("SELECT count(*) FROM rated_usage WHERE invoice_id IS NULL")).isZero();
        assertThat(number("SELECT count(*) FROM billing_audit WHERE to_status = 'FINALIZED'")).isEqualTo(3);
    }

    @Test
    void finalizesTheDraftsARunLeftWithoutDraftingAgain() throws Exception {
        threeClientsWithAprilUsage();
        clock.set("2026-05-01T00:00:00Z");
        run.run(false);
        List<String> drafts = invoiceIds().stream().map(UUID::toString).sorted().toList();

        ScheduledInvoiceRun.Report rerun = run.run(true);

        assertThat(List.of(rerun.created(), rerun.alreadyClosed(), rerun.refused())).containsExactly(0L, 3L, 0L);
        assertThat(invoices()).containsExactly(
                "alpha 2026-04-01 FINALIZED ACME-2026-000001 2.50",
                "beta 2026-04-01 FINALIZED ACME-2026-000002 2.50",
                "gamma 2026-04-01 FINALIZED ACME-2026-000003 2.50");
        assertThat(invoiceIds().stream().map(UUID::toString).sorted().toList()).isEqualTo(drafts);
        assertThat(number("SELECT count(*) FROM billing_audit WHERE to_status = 'DRAFT'")).isEqualTo(3);
        assertThat(number("SELECT count(*) FROM billing_audit WHERE to_status = 'FINALIZED'")).isEqualTo(3);
    }

    @Test
    void numbersWithoutGapsWhileWorkersCloseManyClientsAtOnce() throws Exception {
        for (int i = 1; i <= 120; i++) {
            Client client = fixtures.client(acme, String.format(Locale.ROOT, "client-%03d", i), "Client " + i, "USD",
                    "UTC", Instant.parse("2026-04-02T00:00:00Z"));
            fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
            fixtures.rated(client, "gpt-4o", "2026-04-10T00:00:00Z", 1, Tokens.input(1_000_000 + i));
        }
        clock.set("2026-05-01T00:00:00Z");

        ScheduledInvoiceRun.Report report = run.run(true);

        assertThat(List.of(report.created(), report.refused())).containsExactly(120L, 0L);
        // 1,000,000 + i input tokens at $2.50 per million: $2.500 0025 i, rounded once to 2.50 for every i here.
        assertThat(text("SELECT count(*) || ' ' || count(DISTINCT number) || ' ' || min(number) || ' '"
                + " || max(number) || ' ' || sum(total) FROM invoice WHERE status = 'FINALIZED'"))
                .isEqualTo("120 120 ACME-2026-000001 ACME-2026-000120 300.00");
        assertThat(number("SELECT next_value FROM invoice_number_counter")).isEqualTo(121);
        assertThat(runs.batches()).allSatisfy(batch -> assertThat(batch.invoiceIds()).hasSizeLessThanOrEqualTo(25));
        assertThat(runs.batches().stream().flatMap(b -> b.invoiceIds().stream()).distinct().count()).isEqualTo(120);
        assertThat(run.run(true).periods()).isZero();
    }

    @Test
    void countsEveryRefusalButListsOnlyTheFirstOnes() {
        for (String slug : List.of("alpha", "beta", "gamma")) {
            Client client = fixtures.client(acme, slug, slug, "USD", "UTC", Instant.parse("2026-04-02T00:00:00Z"));
            fixtures.unpriced(client, "mystery-model", "2026-04-10T00:00:00Z", 1);
        }
        clock.set("2026-05-01T00:00:00Z");

        ScheduledInvoiceRun.Report report = run.run(true);

        // The test profile lists at most two (tollbooth.billing.invoice-run.max-reported-refusals).
        assertThat(report.refused()).isEqualTo(3);
        assertThat(report.refusals()).hasSize(2).extracting(ClientCloseOutcome::error)
                .containsOnly(BillingError.UNPRICED_USAGE);
        assertThat(runs.runs()).extracting(InvoiceRunCompleted::invoices, InvoiceRunCompleted::refused)
                .containsExactly(tuple(0L, 3L));
    }

    @Test
    void createsOnlyWhatIsMissingAfterARunCrashedWhileDrafting() throws Exception {
        List<Client> clients = threeClientsWithAprilUsage();
        clock.set("2026-05-01T00:00:00Z");

        crashWhen("BEFORE INSERT", "NEW.client_id = '" + clients.get(1).id() + "'",
                () -> assertThatThrownBy(() -> run.run(false)).isNotInstanceOf(BillingException.class));
        assertThat(invoices()).containsExactly("alpha 2026-04-01 DRAFT - 2.50");
        String alphaDraft = text("SELECT id::text FROM invoice");

        ScheduledInvoiceRun.Report rerun = run.run(false);

        assertThat(List.of(rerun.created(), rerun.alreadyClosed())).containsExactly(2L, 0L);
        assertThat(invoices()).containsExactly(
                "alpha 2026-04-01 DRAFT - 2.50",
                "beta 2026-04-01 DRAFT - 2.50",
                "gamma 2026-04-01 DRAFT - 2.50");
        assertThat(text("SELECT id::text FROM invoice WHERE client_id = '" + clients.get(0).id() + "'"))
                .isEqualTo(alphaDraft);
    }

    /** Alpha, beta and gamma, clients since April 2nd (UTC), each with $2.50 of usage in April. */
    private List<Client> threeClientsWithAprilUsage() {
        List<Client> clients = new ArrayList<>();
        for (String slug : List.of("alpha", "beta", "gamma")) {
            Client client = fixtures.client(acme, slug, slug.toUpperCase(Locale.ROOT), "USD", "UTC",
                    Instant.parse("2026-04-02T00:00:00Z"));
            fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
            fixtures.rated(client, "gpt-4o", "2026-04-10T00:00:00Z", 1, Tokens.input(1_000_000));
            clients.add(client);
        }
        return clients;
    }

    /** Runs {@code action} while a trigger makes the database fail every invoice write matching {@code when}. */
    private void crashWhen(String timing, String when, Runnable action) throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "");
        String function = "crash_" + suffix;
        try (Connection connection = dataSource.getConnection()) {
            update(connection, "CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN RAISE EXCEPTION 'the control plane died here'; END $$");
            update(connection, "CREATE TRIGGER " + function + " " + timing + " ON invoice FOR EACH ROW WHEN ("
                    + when + ") EXECUTE FUNCTION " + function + "()");
            try {
                action.run();
            } finally {
                update(connection, "DROP TRIGGER " + function + " ON invoice");
                update(connection, "DROP FUNCTION " + function + "()");
            }
        }
    }

    /** Every invoice as "client period-start status number total", by client and period. */
    private List<String> invoices() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT c.slug, i.period_start, i.status, coalesce(i.number, '-'), i.total
                          FROM invoice i JOIN client c ON c.id = i.client_id ORDER BY c.slug, i.period_start""");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getObject(2, LocalDate.class) + " " + rs.getString(3) + " "
                        + rs.getString(4) + " " + rs.getBigDecimal(5).toPlainString());
            }
        }
        return rows;
    }

    private List<UUID> invoiceIds() throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT id FROM invoice");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private long number(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            return number(connection, sql);
        }
    }

    private String text(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long number(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void update(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static boolean call(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

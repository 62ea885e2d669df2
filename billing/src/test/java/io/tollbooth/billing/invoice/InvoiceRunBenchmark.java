package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.TestClock;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Measures the scheduled invoice run over many clients: every client's May closed into a draft, finalized with its
 * number and reconciled, in one {@link ScheduledInvoiceRun#run(boolean)} against the real PostgreSQL. Memory is
 * sampled while it runs: the heap after the latest garbage collection, which is what the run keeps alive.
 *
 * <p>Not part of the test suite (surefire runs only classes named {@code *Test}); {@code docs/benchmarks/billing/run}
 * runs it with {@code -Dtest=InvoiceRunBenchmark}. Options (system properties): {@code tollbooth.benchmark.clients}
 * (10000), {@code tollbooth.benchmark.events} per client (10, each with input and output tokens of one of five
 * models) and {@code tollbooth.benchmark.report}, the Markdown file the results go to (else standard output).
 */
@QuarkusTest
class InvoiceRunBenchmark {

    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "o4-mini", "llama-3.1-70b", "qwen2.5-72b"};
    private static final String[] ZONES = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"};

    /** The JDBC application name the run script gives this JVM's connections, to find their backends. */
    private static final String APPLICATION_NAME = "tollbooth-invoice-run-benchmark";

    // Linux' USER_HZ, the unit of /proc/<pid>/stat's CPU times, on every usual platform.
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    @Inject
    ScheduledInvoiceRun run;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "tollbooth.billing.invoice-run.workers")
    int workers;

    @Test
    void closesEveryClientsMonth() throws Exception {
        int clients = Integer.getInteger("tollbooth.benchmark.clients", 10_000);
        int events = Integer.getInteger("tollbooth.benchmark.events", 10);
        fixtures.clear();
        long seedStarted = System.nanoTime();
        seed(clients, events);
        double seedSeconds = (System.nanoTime() - seedStarted) / 1e9;
        clock.set("2026-06-02T12:00:00Z");

        List<String> samples = new ArrayList<>();
        double[] load = {Double.MAX_VALUE, 0};
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        Map<Integer, Long> backendTicksBefore = backendCpuTicks();
        long jvmCpuBefore = jvmCpuNanos();
        long started = System.nanoTime();
        long[] nextReport = {0};
        sampler.scheduleAtFixedRate(() -> {
            long finalized = count("invoice WHERE status = 'FINALIZED'");
            double loadNow = loadAverage();
            load[0] = Math.min(load[0], loadNow);
            load[1] = Math.max(load[1], loadNow);
            if (finalized >= nextReport[0]) {
                samples.add(String.format(Locale.ROOT, "| %.0f | %d | %d | %.2f | %s |",
                        (System.nanoTime() - started) / 1e9, finalized, heapAfterGcMib(), loadNow, snapshots()));
                nextReport[0] = finalized + clients / 10;
            }
        }, 0, 1, TimeUnit.SECONDS);
        ScheduledInvoiceRun.Report report = run.run(true);
        double seconds = (System.nanoTime() - started) / 1e9;
        double jvmCpuMs = (jvmCpuNanos() - jvmCpuBefore) / 1e6;
        double backendCpuMs = backendCpuMsSince(backendTicksBefore);
        sampler.shutdown();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        samples.add(String.format(Locale.ROOT, "| %.0f | %d | %d | %.2f | %s | (end)", seconds,
                count("invoice WHERE status = 'FINALIZED'"), heapAfterGcMib(), loadAverage(), snapshots()));

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Seeded %,d clients with %,d usage events (%,d rated rows) in %.0f s.%n",
                clients, (long) clients * events, count("rated_usage"), seedSeconds));
        out.append(String.format(Locale.ROOT, "%n| clients | invoices created | refused | seconds | invoices/s |"
                + " max heap after GC (MiB) |%n|---:|---:|---:|---:|---:|---:|%n| %d | %d | %d | %.1f | %.1f | %d |%n",
                clients, report.count(ClientCloseOutcome.Status.CREATED),
                report.count(ClientCloseOutcome.Status.REFUSED), seconds, clients / seconds, maxHeapAfterGc(samples)));
        out.append(String.format(Locale.ROOT, "%nCPU time of the run: the JVM %.0f ms (%.2f ms per client), its"
                + " PostgreSQL backends %.0f ms (%.2f ms per client), together %.2f ms per client; %d workers."
                + " Load average (1 min) while it ran: %.2f to %.2f.%n", jvmCpuMs, jvmCpuMs / clients, backendCpuMs,
                backendCpuMs / clients, (jvmCpuMs + backendCpuMs) / clients, workers, load[0], load[1]));
        out.append(String.format(Locale.ROOT, "%nWhile it ran, per tenth of the clients:%n%n| seconds | finalized"
                + " invoices | heap after latest GC (MiB) | load (1 min) | oldest open transaction (s)"
                + " | dead versions of the number counter |%n|---:|---:|---:|---:|---:|---:|%n"));
        samples.forEach(sample -> out.append(sample).append('\n'));
        out.append(String.format(Locale.ROOT, "%nInvoices finalized: %d; total invoiced: %s USD.%n",
                count("invoice WHERE status = 'FINALIZED'"), sum("SELECT sum(total) FROM invoice")));
        String report1 = out.toString();
        String file = System.getProperty("tollbooth.benchmark.report");
        if (file == null || file.isBlank()) {
            System.out.print(report1);
        } else {
            write(Path.of(file), report1);
        }
    }

    // One shared plan with input and output prices for five models; clients in four zones, each signed up on the
    // first of May in its zone so that the run closes exactly May; every event rated at full precision.
    private void seed(int clients, int events) throws SQLException {
        UUID operator = UUID.randomUUID();
        UUID plan = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO operator (id, slug, name, currency) VALUES ('" + operator
                    + "', 'bench', 'Benchmark AI', 'USD')");
            statement.execute("INSERT INTO price_plan (id, operator_id, name, currency) VALUES ('" + plan + "', '"
                    + operator + "', 'bench', 'USD')");
            for (int m = 0; m < MODELS.length; m++) {
                statement.execute("INSERT INTO model (id, operator_id, name) VALUES (gen_random_uuid(), '" + operator
                        + "', '" + MODELS[m] + "')");
                for (String kind : new String[] {"input", "output"}) {
                    statement.execute("INSERT INTO price (id, price_plan_id, model_id, token_kind, price_per_million,"
                            + " currency, effective_from) SELECT gen_random_uuid(), '" + plan + "', id, '" + kind
                            + "', " + (kind.equals("input") ? 0.15 + m : 0.6 + 4 * m) + ", 'USD', '2026-01-01Z'"
                            + " FROM model WHERE name = '" + MODELS[m] + "'");
                }
            }
            statement.execute("""
                    INSERT INTO client (id, operator_id, slug, name, currency, time_zone, price_plan_id, created_at)
                    SELECT gen_random_uuid(), '%s', 'client-' || lpad(g::text, 5, '0'), 'Client ' || g || ' GmbH',
                           'USD', (ARRAY['%s'])[1 + g %% %d], '%s', '2026-05-01T12:00:00Z'
                      FROM generate_series(1, %d) g
                    """.formatted(operator, String.join("','", ZONES), ZONES.length, plan, clients));
            statement.execute("""
                    INSERT INTO usage_event (client_id, source, event_id, request_id, requested_model, served_model,
                        stream, status, usage_source, input_tokens, cached_input_tokens, cache_write_tokens,
                        output_tokens, reasoning_tokens, latency_ms, occurred_at, rating_status, payload)
                    SELECT c.id, 'bench', c.slug || '-' || e, c.slug || '-' || e,
                           (ARRAY['%s'])[1 + e %% %d], (ARRAY['%s'])[1 + e %% %d], false, 'ok', 'response',
                           20000 + e * 3700, 0, 0, 1500 + e * 1100, 0, 100,
                           '2026-05-04T00:00:00Z'::timestamptz + e * (interval '600 hours' / %d), 'RATED',
                           '{}'::jsonb
                      FROM client c CROSS JOIN generate_series(1, %d) e
                    """.formatted(String.join("','", MODELS), MODELS.length, String.join("','", MODELS),
                    MODELS.length, events, events));
            for (String kind : new String[] {"input", "output"}) {
                statement.execute("""
                        INSERT INTO rated_usage (usage_event_id, client_id, model_id, token_kind, quantity, price_id,
                            price_per_million, amount, currency, occurred_at)
                        SELECT e.id, e.client_id, p.model_id, p.token_kind, e.%1$s_tokens, p.id, p.price_per_million,
                               e.%1$s_tokens * p.price_per_million / 1000000, 'USD', e.occurred_at
                          FROM usage_event e
                          JOIN model m ON m.name = e.requested_model
                          JOIN price p ON p.model_id = m.id AND p.token_kind = '%1$s'
                        """.formatted(kind));
            }
            statement.execute("ANALYZE");
        }
    }

    // The run's own database work: the backends of this JVM's connections (the benchmark names them), read from
    // /proc, as PostgreSQL runs on this machine. Backends that close during the run are not counted.
    private Map<Integer, Long> backendCpuTicks() throws SQLException {
        Map<Integer, Long> ticks = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, APPLICATION_NAME);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    int pid = rs.getInt(1);
                    ticks.put(pid, processTicks(pid));
                }
            }
        }
        return ticks;
    }

    private double backendCpuMsSince(Map<Integer, Long> before) throws SQLException {
        long ticks = 0;
        for (Map.Entry<Integer, Long> after : backendCpuTicks().entrySet()) {
            ticks += after.getValue() - before.getOrDefault(after.getKey(), 0L);
        }
        return ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
    }

    // utime + stime, fields 14 and 15 of /proc/<pid>/stat, counted after the command name's closing parenthesis.
    private static long processTicks(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    // Whether a transaction anywhere in the database holds a snapshot that keeps PostgreSQL from pruning the dead
    // versions of the one row every finalization updates, which each update then walks.
    private String snapshots() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT (SELECT coalesce(max(extract(epoch FROM now() - xact_start)), 0) FROM pg_stat_activity
                                 WHERE backend_xmin IS NOT NULL AND pid <> pg_backend_pid()),
                               (SELECT n_dead_tup FROM pg_stat_user_tables
                                 WHERE schemaname = current_schema() AND relname = 'invoice_number_counter')""");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return String.format(Locale.ROOT, "%.0f | %d", rs.getDouble(1), rs.getLong(2));
        } catch (SQLException e) {
            return "? | ?";
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private long count(String table) {
        return fixtures.count(table);
    }

    private String sum(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBigDecimal(1).toPlainString();
        }
    }

    private static long heapAfterGcMib() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && afterGc != null) {
                bytes += afterGc.getUsed();
            }
        }
        return bytes / (1024 * 1024);
    }

    private static long maxHeapAfterGc(List<String> samples) {
        return samples.stream().mapToLong(s -> Long.parseLong(s.split("\\|")[3].trim())).max().orElse(0);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }
}

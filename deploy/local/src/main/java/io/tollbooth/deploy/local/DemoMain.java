package io.tollbooth.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollbooth.deploy.keycloak.LocalKeycloak;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job of the local stack: start everything, seed demo clients, send real traffic through the gateway,
 * wait for metering, close the month into invoices, write the PDFs and a CSV, and print what each client owes and
 * how each invoice reconciles with its usage.
 */
@Command(name = "deploy/local/run", mixinStandardHelpOptions = true,
        description = "Runs Tollbooth locally with demo clients and real traffic, then invoices the month.")
public final class DemoMain implements Callable<Integer> {

    private static final Duration METERING_TIMEOUT = Duration.ofSeconds(120);
    private static final String DEMO_CLIENT_ADMIN = "ada@acme.example";

    @Option(names = "--keep-running", description = "Leave the stack up after the run, until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--requests", defaultValue = "24", description = "Requests per API key (default: ${DEFAULT-VALUE}).")
    int requestsPerKey;

    @Option(names = "--root", defaultValue = ".", description = "The repository's root folder.")
    Path root;

    @Option(names = "--out", description = "Folder for the invoices and the CSV (default: deploy/local/out/<run>).")
    Path out;

    @Option(names = "--database", defaultValue = "tollbooth", description = "PostgreSQL database to use.")
    String database;

    @Option(names = "--gateway-port", defaultValue = "8080")
    int gatewayPort;

    @Option(names = "--control-plane-port", defaultValue = "8081")
    int controlPlanePort;

    @Option(names = "--simulator-port", defaultValue = "8090")
    int simulatorPort;

    @Option(names = "--kafka-port", defaultValue = "9092")
    int kafkaPort;

    @Option(names = "--keycloak-port", defaultValue = "8180")
    int keycloakPort;

    public static void main(String[] args) {
        CommandLine command = new CommandLine(new DemoMain());
        // A stack that cannot start says why in one line; anything else keeps its stack trace.
        command.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof IllegalStateException)) {
                throw e;
            }
            cmd.getErr().println("deploy/local/run: " + e.getMessage());
            return 1;
        });
        System.exit(command.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Clock clock = Clock.systemUTC();
        String runId = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path outDir = (out != null ? out : root.resolve("deploy/local/out").resolve(runId)).toAbsolutePath();
        Files.createDirectories(outDir);

        LocalStack.Settings settings = new LocalStack.Settings(root.toAbsolutePath(),
                root.resolve(".tollbooth/local").toAbsolutePath(), database, false, kafkaPort, keycloakPort, simulatorPort,
                controlPlanePort, gatewayPort);
        LocalStack stack = LocalStack.start(settings);
        Thread stopOnExit = new Thread(stack::close, "stack-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);

        AdminApi admin = new AdminApi(stack.controlPlaneUrl(), stack.operatorTokens());
        YearMonth period = YearMonth.now(clock);
        // Each run bills its own operator, so runs against the same database never mix their invoices.
        String operatorSlug = "nw" + Long.toString(clock.millis() / 1000, 36);
        DemoTenants.Seeded seeded = DemoTenants.seed(admin, operatorSlug,
                period.minusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        say("seeded operator %s (id %s) with %d clients", seeded.operatorSlug(), seeded.operatorId(),
                seeded.tenants().size());
        DemoTenants.Tenant first = seeded.tenants().get(0);
        String person = new DemoPeople(stack).inviteClientAdmin(admin, first.id(), DEMO_CLIENT_ADMIN, "Ada",
                "Admin");
        say("invited %s as client admin of %s", person, first.name());

        Map<String, Integer> sent = sendTraffic(stack, seeded);
        awaitMetering(admin, seeded, sent, period);
        List<InvoiceRow> rows = invoice(admin, seeded, period, outDir);
        Path csv = admin.download("/exports/usage.csv?operatorId=" + seeded.operatorId() + "&period=" + period,
                outDir.resolve("usage-" + period + ".csv"));

        String table = InvoiceTable.render(period, rows) + System.lineSeparator()
                + ReconciliationLog.render(stack.workDir().resolve("control-plane.log"),
                        rows.stream().map(InvoiceRow::invoiceNumber).toList());
        Files.writeString(outDir.resolve("summary.txt"), table);
        System.out.println();
        System.out.print(table);
        System.out.printf("%nFiles: %s (invoice PDFs, %s, summary.txt)%nLogs:  %s%nTook %d s%n", outDir,
                csv.getFileName(), stack.workDir(), Duration.ofNanos(System.nanoTime() - started).toSeconds());

        if (keepRunning) {
            printEndpoints(stack);
            new CountDownLatch(1).await();
        }
        return 0;
    }

    private Map<String, Integer> sendTraffic(LocalStack stack, DemoTenants.Seeded seeded) throws Exception {
        Map<String, Integer> sent = new LinkedHashMap<>();
        List<Thread> senders = new ArrayList<>();
        long seed = 42;
        for (DemoTenants.Tenant tenant : seeded.tenants()) {
            sent.put(tenant.id(), 0);
            for (String key : tenant.apiKeys()) {
                DemoTraffic traffic = new DemoTraffic(stack.gatewayUrl(), seed++);
                Thread sender = new Thread(() -> {
                    int answered = traffic.send(key, requestsPerKey);
                    synchronized (sent) {
                        sent.merge(tenant.id(), answered, Integer::sum);
                    }
                }, "traffic-" + tenant.name());
                senders.add(sender);
                sender.start();
            }
        }
        for (Thread sender : senders) {
            sender.join();
        }
        say("sent %d requests through the gateway", sent.values().stream().mapToInt(Integer::intValue).sum());
        return sent;
    }

    /** Waits until the control plane has metered every request the traffic sent. */
    private static void awaitMetering(AdminApi admin, DemoTenants.Seeded seeded, Map<String, Integer> sent,
            YearMonth period) throws InterruptedException {
        long deadline = System.nanoTime() + METERING_TIMEOUT.toNanos();
        for (DemoTenants.Tenant tenant : seeded.tenants()) {
            while (meteredRequests(admin, tenant, period) < sent.get(tenant.id())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("metering did not catch up with " + tenant.name() + " within "
                            + METERING_TIMEOUT);
                }
                Thread.sleep(250);
            }
        }
        say("metering has caught up");
    }

    private static long meteredRequests(AdminApi admin, DemoTenants.Tenant tenant, YearMonth period) {
        return admin.get("/clients/" + tenant.id() + "/usage?period=" + period).get("requests").asLong();
    }

    private static List<InvoiceRow> invoice(AdminApi admin, DemoTenants.Seeded seeded, YearMonth period,
            Path outDir) {
        JsonNode run = admin.post("/invoice-runs", AdminApi.object()
                .put("operatorId", seeded.operatorId())
                .put("period", period.toString())
                .put("closeEarly", true));
        List<InvoiceRow> rows = new ArrayList<>();
        for (JsonNode invoice : run.get("invoices")) {
            String number = invoice.get("number").asText();
            Path pdf = admin.download("/invoices/" + invoice.get("id").asText() + "/pdf",
                    outDir.resolve(number + ".pdf"));
            JsonNode usage = admin.get("/clients/" + invoice.get("clientId").asText() + "/usage?period=" + period);
            rows.add(new InvoiceRow(invoice.get("clientName").asText(), usage.get("requests").asLong(),
                    totalTokens(usage.get("tokens")), invoice.get("currency").asText(),
                    invoice.get("total").asText(), number, pdf.getFileName().toString()));
        }
        say("closed %s into %d invoices", period, rows.size());
        return rows;
    }

    private static long totalTokens(JsonNode tokens) {
        long total = 0;
        for (String kind : List.of("input", "cachedInput", "cacheWrite", "output")) {
            total += tokens.path(kind).asLong();
        }
        return total;
    }

    private static void printEndpoints(LocalStack stack) {
        System.out.printf("%nThe stack keeps running (Ctrl-C stops it):%n"
                + "  gateway        %s/v1 (OpenAI-compatible)%n"
                + "  control plane  %s/admin/v1 (Keycloak bearer tokens)%n"
                + "  keycloak       %s (realm tollbooth; admin console %s/admin as %s / %s)%n"
                + "  simulator      %s%n"
                + "  kafka          %s%n"
                + "  postgres       %s%n"
                + "Client pages: %s/portal, signed in as %s / %s%n"
                + "An operator token for the admin API (demo-only secret of the realm export):%n"
                + "  curl -s -d grant_type=client_credentials -d client_id=%s -d client_secret=%s %s%n",
                stack.gatewayUrl(), stack.controlPlaneUrl(), stack.realmUrl(), stack.keycloakUrl(),
                LocalKeycloak.MASTER_ADMIN, stack.keycloakAdminPassword(), stack.simulatorUrl(),
                stack.kafkaBootstrapServers(), stack.jdbcUrl(), stack.controlPlaneUrl(), DEMO_CLIENT_ADMIN,
                DemoPeople.DEMO_PASSWORD, LocalKeycloak.ADMIN_CLI_CLIENT,
                LocalKeycloak.ADMIN_CLI_DEMO_SECRET, stack.realmUrl() + "/protocol/openid-connect/token");
    }

    private static void say(String format, Object... args) {
        System.out.printf("[demo]  " + format + "%n", args);
    }

    /** One client's line of the closing table. */
    record InvoiceRow(String client, long requests, long tokens, String currency, String amountDue,
            String invoiceNumber, String pdf) {
    }
}

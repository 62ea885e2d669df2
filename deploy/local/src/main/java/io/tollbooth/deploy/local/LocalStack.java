package io.tollbooth.deploy.local;

import io.tollbooth.deploy.kafka.LocalKafka;
import io.tollbooth.deploy.keycloak.LocalKeycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Tollbooth's whole stack on one machine: a Kafka broker, Keycloak with the tollbooth realm, the inference
 * simulator, the control plane and the gateway, each in its own process, started from the packaged build in the
 * repository.
 *
 * <p>The admin API takes Keycloak tokens; {@link #operatorTokens()} gives those of the realm's operator automation
 * client, and the realm's demo users (see deploy/keycloak) sign in to the portal.
 *
 * <p>PostgreSQL is the machine's own; the stack creates its database when absent. {@link #close()} stops
 * everything it started, in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String POSTGRES_HOST = "127.0.0.1:5432";
    private static final String USAGE_TOPIC = "tollbooth.usage:3";

    private final Settings settings;
    private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
    private LocalKafka kafka;
    private LocalKeycloak keycloak;
    private OperatorTokens operatorTokens;
    private int simulatorPort;
    private int controlPlanePort;
    private int gatewayPort;

    /**
     * Where and how the stack runs.
     *
     * @param root the repository's root folder, holding the packaged modules
     * @param workDir folder for logs and Kafka's data
     * @param database PostgreSQL database name; created when absent
     * @param freshDatabase drop and recreate the database first (tests), instead of keeping its data
     * @param kafkaPort broker port, 0 for any free one (the controller takes the next port)
     * @param keycloakPort Keycloak's port, 0 for any free one
     * @param simulatorPort simulator port, 0 for any free one
     * @param controlPlanePort control plane port, 0 for any free one
     * @param gatewayPort gateway port, 0 for any free one
     */
    public record Settings(Path root, Path workDir, String database, boolean freshDatabase, int kafkaPort,
            int keycloakPort, int simulatorPort, int controlPlanePort, int gatewayPort) {
    }

    private LocalStack(Settings settings) {
        this.settings = settings;
    }

    /** Starts every part and returns once each one answers its health check. */
    public static LocalStack start(Settings settings) {
        LocalStack stack = new LocalStack(settings);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        createDirectories(settings.workDir());
        simulatorPort = portOrFree(settings.simulatorPort());
        controlPlanePort = portOrFree(settings.controlPlanePort());
        gatewayPort = portOrFree(settings.gatewayPort());
        int keycloakPort = portOrFree(settings.keycloakPort());
        prepareDatabase();

        // Keycloak takes the longest to start (and half a minute more the first time on a machine): start it first
        // and meanwhile the broker and the simulator.
        CompletableFuture<LocalKeycloak> keycloakStart = CompletableFuture.supplyAsync(() -> {
            LocalKeycloak server = LocalKeycloak.start(settings.workDir(), keycloakPort);
            started.add(server);
            return server;
        });

        Path kafkaData = settings.workDir().resolve("kafka");
        deleteRecursively(kafkaData);
        kafka = settings.kafkaPort() == 0
                ? LocalKafka.start(kafkaData, USAGE_TOPIC)
                : LocalKafka.start(kafkaData, portOrFree(settings.kafkaPort()), portOrFree(settings.kafkaPort() + 1),
                        USAGE_TOPIC);
        started.add(kafka);
        log("kafka", "started at " + kafka.bootstrapServers());

        startSimulator();
        awaitKeycloak(keycloakStart);
        startControlPlane();
        startGateway();
    }

    private void awaitKeycloak(CompletableFuture<LocalKeycloak> start) {
        try {
            keycloak = start.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        operatorTokens = new OperatorTokens(keycloak.tokenUrl(), LocalKeycloak.ADMIN_CLI_CLIENT,
                LocalKeycloak.ADMIN_CLI_DEMO_SECRET);
        log("keycloak", "realm " + keycloak.realmUrl());
    }

    private void startSimulator() {
        Path module = settings.root().resolve("deploy/simulator/target");
        String classpath = module.resolve("classes") + java.io.File.pathSeparator
                + readFile(module.resolve("runtime.classpath"));
        ManagedProcess simulator = ManagedProcess.start("simulator",
                List.of(java(), "-Xmx256m", "-cp", classpath, "io.tollbooth.simulator.Main", "--port",
                        String.valueOf(simulatorPort)),
                Map.of(), settings.workDir().resolve("simulator.log"));
        started.add(simulator);
        simulator.awaitHealthy(URI.create("http://127.0.0.1:" + simulatorPort + "/health"), START_TIMEOUT);
        log("simulator", "listening on " + simulatorUrl());
    }

    private void startControlPlane() {
        ManagedProcess controlPlane = ManagedProcess.start("control plane",
                List.of(java(), "-Xmx512m",
                        "-Dquarkus.http.port=" + controlPlanePort,
                        "-Dquarkus.datasource.jdbc.url=" + jdbcUrl() + "?reWriteBatchedInserts=true",
                        "-Dquarkus.datasource.username=postgres",
                        "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                        "-Dquarkus.oidc.auth-server-url=" + keycloak.realmUrl(),
                        "-Dquarkus.oidc.web.auth-server-url=" + keycloak.realmUrl(),
                        "-Dquarkus.keycloak.admin-client.server-url=" + keycloak.baseUrl(),
                        // Nobody receives mail locally: people invited in the demo get a password another way.
                        "-Dtollbooth.identity.send-invitation-email=false",
                        // The system state page reads the spool depth from the gateway's metrics.
                        "-Dtollbooth.system-state.gateway-metrics-urls=" + gatewayUrl() + "/q/metrics",
                        "-jar", quarkusApp("portal").toString()),
                // The realm export's demo-only secrets; a real deployment sets its own in the environment.
                Map.of("TOLLBOOTH_PORTAL_CLIENT_SECRET", LocalKeycloak.PORTAL_DEMO_SECRET,
                        "TOLLBOOTH_IDENTITY_CLIENT_SECRET", LocalKeycloak.IDENTITY_DEMO_SECRET),
                settings.workDir().resolve("control-plane.log"));
        started.add(controlPlane);
        controlPlane.awaitHealthy(URI.create(controlPlaneUrl() + "/q/health/ready"), START_TIMEOUT);
        log("control plane", "listening on " + controlPlaneUrl());
    }

    private void startGateway() {
        ManagedProcess gateway = ManagedProcess.start("gateway",
                List.of(java(), "-Xmx256m",
                        "-Dquarkus.http.port=" + gatewayPort,
                        "-Dquarkus.datasource.reactive.url=postgresql://" + POSTGRES_HOST + "/" + settings.database(),
                        "-Dquarkus.datasource.username=postgres",
                        "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                        "-Dtollbooth.gateway.backend.name=simulator",
                        "-Dtollbooth.gateway.backend.base-url=" + simulatorUrl() + "/v1",
                        "-jar", quarkusApp("gateway").toString()),
                Map.of(), settings.workDir().resolve("gateway.log"));
        started.add(gateway);
        gateway.awaitHealthy(URI.create(gatewayUrl() + "/q/health/ready"), START_TIMEOUT);
        log("gateway", "listening on " + gatewayUrl());
    }

    /** The gateway's base URL; OpenAI clients use {@code gatewayUrl() + "/v1"}. */
    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    /** The control plane's base URL (admin API under {@code /admin/v1}). */
    public String controlPlaneUrl() {
        return "http://127.0.0.1:" + controlPlanePort;
    }

    public String simulatorUrl() {
        return "http://127.0.0.1:" + simulatorPort;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Access tokens of the realm's operator automation client, for the admin API; renewed before they expire. */
    public OperatorTokens operatorTokens() {
        return operatorTokens;
    }

    /** Keycloak's base URL (admin console under {@code /admin}). */
    public String keycloakUrl() {
        return keycloak.baseUrl();
    }

    /** The tollbooth realm's URL, the issuer of every token the control plane accepts. */
    public String realmUrl() {
        return keycloak.realmUrl();
    }

    /** Password of Keycloak's master administrator, made up for this run. */
    public String keycloakAdminPassword() {
        return keycloak.adminPassword();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + POSTGRES_HOST + "/" + settings.database();
    }

    public Path workDir() {
        return settings.workDir();
    }

    /** Stops the gateway first, so no request is cut off by a missing control plane or broker. */
    @Override
    public void close() {
        List<AutoCloseable> toStop = new ArrayList<>(started);
        started.clear();
        Collections.reverse(toStop);
        for (AutoCloseable part : toStop) {
            try {
                part.close();
            } catch (Exception e) {
                log("stack", "stopping " + part + " failed: " + e.getMessage());
            }
        }
    }

    private void prepareDatabase() {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + POSTGRES_HOST + "/postgres",
                "postgres", "")) {
            String database = settings.database();
            if (!database.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("unsafe database name: " + database);
            }
            if (settings.freshDatabase()) {
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            var exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
            exists.setString(1, database);
            if (!exists.executeQuery().next()) {
                admin.createStatement().execute("CREATE DATABASE " + database);
                log("postgres", "created database " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + POSTGRES_HOST + " is not usable: " + e.getMessage(),
                    e);
        }
    }

    private Path quarkusApp(String module) {
        Path jar = settings.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw package -DskipTests");
        }
        return jar;
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is missing: build with ./mvnw package -DskipTests", e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each run starts with an empty broker: the database, not Kafka, keeps what was metered. */
    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }

    /** A free port when {@code port} is 0; otherwise {@code port}, refused up front when something holds it. */
    private static int portOrFree(int port) {
        if (port != 0) {
            try (ServerSocket probe = new ServerSocket(port)) {
                return port;
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " is already in use: stop what holds it or pick "
                        + "another port (deploy/local/run --help lists the port options)", e);
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void log(String part, String message) {
        System.out.printf("[stack] %-13s %s%n", part, message);
    }
}

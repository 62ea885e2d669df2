package io.tollbooth.deploy.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops a real Keycloak server, with the {@value #REALM} realm imported, as a child process of the
 * calling JVM.
 *
 * <p>The server comes from the {@code keycloak-quarkus-dist} zip that this module's build resolved. It is unpacked
 * and built once into {@link KeycloakDistribution#cacheDir()}; each server then runs from its own linked copy in a
 * working folder, in production mode on the pre-built distribution ({@code start --optimized}), with an in-memory
 * database: every start begins with exactly the realm export and nothing else. The child is stopped by
 * {@link #close()} or when the calling JVM exits.
 */
public final class LocalKeycloak implements AutoCloseable {

    /** The realm Tollbooth signs people in to. */
    public static final String REALM = "tollbooth";

    /** The realm export imported at every start, a resource next to this class. */
    public static final String REALM_EXPORT = "tollbooth-realm.json";

    /** The confidential client of the control plane (code flow for the pages; the audience of API tokens). */
    public static final String PORTAL_CLIENT = "tollbooth-portal";

    /** Demo-only secret of {@link #PORTAL_CLIENT}, as the realm export sets it. */
    public static final String PORTAL_DEMO_SECRET = "demo-only-portal-secret-not-for-production";

    /** The client whose service account automates the admin API with the operator role. */
    public static final String ADMIN_CLI_CLIENT = "tollbooth-admin-cli";

    /** Demo-only secret of {@link #ADMIN_CLI_CLIENT}, as the realm export sets it. */
    public static final String ADMIN_CLI_DEMO_SECRET = "demo-only-admin-cli-secret-not-for-production";

    /** The client whose service account lets the control plane manage users through Keycloak's admin API. */
    public static final String IDENTITY_CLIENT = "tollbooth-identity";

    /** Demo-only secret of {@link #IDENTITY_CLIENT}, as the realm export sets it. */
    public static final String IDENTITY_DEMO_SECRET = "demo-only-identity-secret-not-for-production";

    /** User name of the master realm's administrator of a local server; its password is made up per start. */
    public static final String MASTER_ADMIN = "admin";

    /**
     * About 25 s on an idle 2-core machine; a machine busy with parallel builds has been seen to need over 120 s, and
     * a slow start must not fail a test run that would otherwise pass.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final String adminPassword;
    private final Path logFile;

    private LocalKeycloak(Process process, int port, String adminPassword, Path logFile) {
        this.process = process;
        this.port = port;
        this.adminPassword = adminPassword;
        this.logFile = logFile;
    }

    /** Starts a server on a free local port, working in {@code workDir}, and returns once the realm answers. */
    public static LocalKeycloak start(Path workDir) {
        return start(workDir, freePort());
    }

    /**
     * Starts a server on {@code port}, working in {@code workDir} (its copy of the distribution and its log,
     * {@code keycloak.log}, are replaced), and returns once the realm's OIDC discovery document answers.
     *
     * @throws IllegalStateException if the server does not come up within two minutes; the log says why
     */
    public static LocalKeycloak start(Path workDir, int port) {
        try {
            Path home = KeycloakDistribution.instanceCopy(workDir.resolve("keycloak"));
            copyRealmExport(home.resolve("data/import"));
            Path logFile = workDir.resolve("keycloak.log");
            String adminPassword = newPassword();
            ProcessBuilder builder = new ProcessBuilder(command(home, port))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            builder.environment().putAll(environment(adminPassword));
            LocalKeycloak keycloak = new LocalKeycloak(builder.start(), port, adminPassword, logFile);
            Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "local-keycloak-stop"));
            keycloak.awaitReady();
            return keycloak;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Keycloak server", e);
        }
    }

    /** The server's base URL, for example {@code http://127.0.0.1:8180}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The {@value #REALM} realm's URL: the OIDC issuer and the control plane's {@code auth-server-url}. */
    public String realmUrl() {
        return baseUrl() + "/realms/" + REALM;
    }

    /** The realm's token endpoint. */
    public String tokenUrl() {
        return realmUrl() + "/protocol/openid-connect/token";
    }

    /** Password of {@link #MASTER_ADMIN}, made up for this server; for tests and local tooling only. */
    public String adminPassword() {
        return adminPassword;
    }

    public Path logFile() {
        return logFile;
    }

    /** Whether the server process is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Stops the server and waits for it to end. {@code kc.sh} passes the stop on to the Java process it started;
     * should it be killed first, that process is stopped on its own.
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        stop(process.toHandle());
        children.forEach(LocalKeycloak::stop);
    }

    private static void stop(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }

    private static List<String> command(Path home, int port) {
        return new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + port,
                // Tokens name the issuer by the address they were asked at; local callers all use 127.0.0.1.
                "--hostname-strict=false",
                // One node: no cluster discovery, which would also find other local servers.
                "--cache=local",
                "--import-realm"));
    }

    private static Map<String, String> environment(String adminPassword) {
        return Map.of(
                "JAVA_HOME", System.getProperty("java.home"),
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m",
                // A short-lived server: the fast start of the client compiler beats peak performance.
                "JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1",
                "KC_BOOTSTRAP_ADMIN_USERNAME", MASTER_ADMIN,
                "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    }

    private static void copyRealmExport(Path importDir) throws IOException {
        Files.createDirectories(importDir);
        try (InputStream realm = LocalKeycloak.class.getResourceAsStream(REALM_EXPORT)) {
            if (realm == null) {
                throw new IllegalStateException(REALM_EXPORT + " is missing: build the tollbooth-local-keycloak module");
            }
            Files.copy(realm, importDir.resolve(REALM_EXPORT), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Polls the realm's discovery document until it answers 200; fails early if the server exits. */
    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(realmUrl() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + logFile);
            }
            if (answers(http, discovery)) {
                return;
            }
            pause();
        }
        close();
        throw new IllegalStateException("Keycloak did not start within " + START_TIMEOUT + "; see " + logFile);
    }

    private static boolean answers(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Keycloak was starting", e);
        }
    }

    private void pause() {
        try {
            process.waitFor(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while Keycloak was starting", e);
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a resource next to this class, or null. */
    static String resourceText(String name) throws IOException {
        try (InputStream in = LocalKeycloak.class.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}

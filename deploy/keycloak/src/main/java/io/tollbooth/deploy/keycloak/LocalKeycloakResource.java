package io.tollbooth.deploy.keycloak;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a Quarkus test application at a real local Keycloak server with the tollbooth realm.
 *
 * <p>Use with {@code @QuarkusTestResource(LocalKeycloakResource.class)}. One server is started per test JVM, on
 * first use, and shared by every test class (starting one takes about 15 s); it stops when the JVM exits. Tests
 * therefore never rely on the realm being untouched: they create their own users with unique names.
 *
 * <p>Sets {@code quarkus.oidc.auth-server-url} (and that of every tenant named in {@link #OIDC_TENANTS}),
 * {@code quarkus.keycloak.admin-client.server-url}, and {@code tollbooth.test.keycloak.*} for the tests
 * themselves: {@code url} (the server), {@code realm-url} and {@code admin-password} (of the master realm).
 */
public class LocalKeycloakResource implements QuarkusTestResourceLifecycleManager {

    /** Named OIDC tenants of the control plane that use the same realm as the default one. */
    static final String[] OIDC_TENANTS = {"web"};

    private static LocalKeycloak shared;

    /** The JVM's server, started on the first call. */
    public static synchronized LocalKeycloak shared() {
        if (shared == null || !shared.isRunning()) {
            try {
                shared = LocalKeycloak.start(Files.createTempDirectory("tollbooth-keycloak-test"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    @Override
    public Map<String, String> start() {
        LocalKeycloak keycloak = shared();
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.oidc.auth-server-url", keycloak.realmUrl(),
                "quarkus.keycloak.admin-client.server-url", keycloak.baseUrl(),
                "tollbooth.test.keycloak.url", keycloak.baseUrl(),
                "tollbooth.test.keycloak.realm-url", keycloak.realmUrl(),
                "tollbooth.test.keycloak.admin-password", keycloak.adminPassword()));
        for (String tenant : OIDC_TENANTS) {
            config.put("quarkus.oidc." + tenant + ".auth-server-url", keycloak.realmUrl());
        }
        return config;
    }

    /** Leaves the server running for the next test class; the JVM's exit stops it. */
    @Override
    public void stop() {
    }
}

package io.tollbooth.gateway.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * Builds the gateway's own test schema (gateway_test, or the one named by -Dtollbooth.test.schema) from the real
 * migrations (Flyway, from the tollbooth-migrations jar) and seeds the {@link Seed} rows.
 */
public class GatewayDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String SCHEMA = System.getProperty("tollbooth.test.schema", "gateway_test");
    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA;
    private static final String USER = "postgres";

    @Override
    public Map<String, String> start() {
        Flyway flyway = Flyway.configure()
                .dataSource(JDBC_URL, USER, null)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .locations("classpath:db/migration")
                .cleanDisabled(false)
                .load();
        flyway.clean();
        flyway.migrate();
        seed();
        return Map.of();
    }

    @Override
    public void stop() {
    }

    /** Runs one statement against the test schema, for a test that changes the seeded rows. */
    public static void execute(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(JDBC_URL, USER, null);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    private static void seed() {
        Timestamp yesterday = Timestamp.from(FixedClock.NOW.minus(1, ChronoUnit.DAYS));
        execute("INSERT INTO operator (id, slug, name, currency) VALUES (?, 'acme-msp', 'Acme MSP', 'USD'), "
                + "(?, 'other-msp', 'Other MSP', 'EUR')", Seed.OPERATOR, Seed.OTHER_OPERATOR);
        execute("INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, 'PLAN-T', 'USD'), "
                + "(?, ?, 'PLAN-O', 'EUR')", Seed.PLAN, Seed.OPERATOR, Seed.OTHER_PLAN, Seed.OTHER_OPERATOR);
        execute("INSERT INTO client (id, operator_id, slug, name, currency, price_plan_id) VALUES "
                + "(?, ?, 'tenant-acme', 'Acme Tenant', 'USD', ?), (?, ?, 'tenant-other', 'Other Tenant', 'EUR', ?)",
                Seed.CLIENT, Seed.OPERATOR, Seed.PLAN, Seed.OTHER_CLIENT, Seed.OTHER_OPERATOR, Seed.OTHER_PLAN);
        execute("INSERT INTO model (id, operator_id, name) VALUES (?, ?, ?), (?, ?, 'sim-reasoning'), (?, ?, ?)",
                UUID.randomUUID(), Seed.OPERATOR, Seed.MODEL, UUID.randomUUID(), Seed.OPERATOR,
                UUID.randomUUID(), Seed.OTHER_OPERATOR, Seed.OTHER_OPERATORS_MODEL);
        insertKey(Seed.KEY, Seed.CLIENT, null, null);
        insertKey(Seed.REVOKED_KEY, Seed.CLIENT, null, yesterday);
        insertKey(Seed.EXPIRED_KEY, Seed.CLIENT, yesterday, null);
        insertKey(Seed.KEY_TO_REVOKE, Seed.CLIENT, null, null);
        insertKey(Seed.OTHER_OPERATORS_KEY, Seed.OTHER_CLIENT, null, null);
    }

    private static void insertKey(Seed.TestKey key, UUID client, Timestamp expiresAt, Timestamp revokedAt) {
        execute("INSERT INTO api_key (id, client_id, name, prefix, key_hash, expires_at, revoked_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", key.id(), client, key.name(), key.prefix(), key.hash(), expiresAt,
                revokedAt);
    }
}

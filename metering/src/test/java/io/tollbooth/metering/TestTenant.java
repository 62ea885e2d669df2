package io.tollbooth.metering;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A fresh operator with one client on a copy of price plan PLAN-T (CASES.md) for gpt-4o, seeded with SQL. Every
 * test gets its own, so tests sharing the database and the topic never see each other's rows.
 *
 * <p>gpt-4o costs 2.50 input, 1.25 cached input and 10.00 output per 1M tokens from {@link #PLAN_START}; its
 * input price rises to 3.00 at {@link #INPUT_PRICE_CHANGE}. It has no cache-write price.
 */
public record TestTenant(UUID operatorId, UUID planId, UUID clientId, UUID gpt4oId, UUID inputPriceId,
        UUID inputPriceFromJuneId, UUID cachedInputPriceId, UUID outputPriceId) {

    public static final Instant PLAN_START = Instant.parse("2026-01-01T00:00:00Z");
    public static final Instant INPUT_PRICE_CHANGE = Instant.parse("2026-06-01T00:00:00Z");

    public static TestTenant create(DataSource dataSource) throws SQLException {
        TestTenant tenant = new TestTenant(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        try (Connection connection = dataSource.getConnection()) {
            tenant.insert(connection);
        }
        return tenant;
    }

    private void insert(Connection connection) throws SQLException {
        String slug = "op-" + operatorId;
        update(connection, "INSERT INTO operator (id, slug, name, currency) VALUES (?, ?, 'Test MSP', 'USD')",
                operatorId, slug);
        update(connection, "INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, 'PLAN-T', 'USD')",
                planId, operatorId);
        update(connection, "INSERT INTO client (id, operator_id, slug, name, currency, price_plan_id)"
                + " VALUES (?, ?, 'tenant-acme', 'Acme', 'USD', ?)", clientId, operatorId, planId);
        update(connection, "INSERT INTO model (id, operator_id, name) VALUES (?, ?, 'gpt-4o')", gpt4oId, operatorId);
        price(connection, inputPriceId, "input", "2.50", PLAN_START);
        price(connection, inputPriceFromJuneId, "input", "3.00", INPUT_PRICE_CHANGE);
        price(connection, cachedInputPriceId, "cached_input", "1.25", PLAN_START);
        price(connection, outputPriceId, "output", "10.00", PLAN_START);
    }

    private void price(Connection connection, UUID id, String kind, String perMillion, Instant from)
            throws SQLException {
        update(connection, "INSERT INTO price (id, price_plan_id, model_id, token_kind, price_per_million, currency,"
                + " effective_from) VALUES (?, ?, ?, ?, ?, 'USD', ?)", id, planId, gpt4oId, kind,
                new BigDecimal(perMillion), OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
    }

    private static void update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }
}

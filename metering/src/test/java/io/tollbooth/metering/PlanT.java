package io.tollbooth.metering;

import io.tollbooth.metering.pricebook.Change;
import io.tollbooth.metering.pricebook.ClientPricing;
import io.tollbooth.metering.pricebook.CostPrices;
import io.tollbooth.metering.pricebook.NewPrice;
import io.tollbooth.metering.rating.TierMode;
import io.tollbooth.metering.rating.UsageUnit;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A fresh operator whose cost prices are price plan PLAN-T of CASES.md (gpt-4o, o4-mini, claude-sonnet with its
 * long-context tier above 200,000 prompt tokens, local-llama, in USD per 1M tokens from {@link #FROM}) and client
 * {@code tenant-acme} charged a 20 % markup over them. The client's plan has no prices, so every charge is the
 * markup. Every test gets its own, so tests sharing the database never see each other's rows.
 */
public record PlanT(UUID operatorId, UUID planId, UUID clientId) {

    /** When PLAN-T and the markup take effect. */
    public static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");

    /** Who the fixture says entered its prices. */
    public static final String OPERATOR_ADMIN = "ops@test";

    /** Every model of PLAN-T. */
    public static final List<String> MODELS = List.of("gpt-4o", "o4-mini", "claude-sonnet", "local-llama");

    public static PlanT create(DataSource dataSource, CostPrices costs, ClientPricing pricing) throws SQLException {
        return create(dataSource, costs, pricing, "20");
    }

    /** The same operator and costs with another markup, for example {@code "0"} to charge the cost itself. */
    public static PlanT create(DataSource dataSource, CostPrices costs, ClientPricing pricing, String markupPercent)
            throws SQLException {
        PlanT tenant = new PlanT(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        try (Connection connection = dataSource.getConnection()) {
            tenant.insert(connection);
        }
        Change change = new Change(OPERATOR_ADMIN, FROM, false);
        costs.add(tenant.operatorId, costPrices(), CostPrices.MANUAL, change);
        pricing.setMarkup(tenant.clientId, new BigDecimal(markupPercent), FROM, change);
        return tenant;
    }

    private static List<NewPrice> costPrices() {
        List<NewPrice> prices = new ArrayList<>();
        add(prices, "gpt-4o", 0, "2.50", "1.25", null, "10.00");
        add(prices, "o4-mini", 0, "1.10", "0.275", null, "4.40");
        add(prices, "claude-sonnet", 0, "3.00", "0.30", "3.75", "15.00");
        add(prices, "claude-sonnet", 200_000, "6.00", "0.60", "7.50", "22.50");
        add(prices, "local-llama", 0, "0.20", null, null, "0.60");
        return prices;
    }

    private static void add(List<NewPrice> prices, String model, long longContextOver, String input, String cached,
            String cacheWrite, String output) {
        addOne(prices, model, UsageUnit.INPUT, longContextOver, input);
        addOne(prices, model, UsageUnit.CACHED_INPUT, longContextOver, cached);
        addOne(prices, model, UsageUnit.CACHE_WRITE, longContextOver, cacheWrite);
        addOne(prices, model, UsageUnit.OUTPUT, longContextOver, output);
    }

    private static void addOne(List<NewPrice> prices, String model, UsageUnit unit, long longContextOver,
            String perMillion) {
        if (perMillion != null) {
            prices.add(new NewPrice(model, unit, new BigDecimal(perMillion), FROM, longContextOver, 0,
                    TierMode.GRADUATED));
        }
    }

    /** Adds a model to the operator's catalogue, for example a dated snapshot that had no price. */
    public void addModel(DataSource dataSource, String name) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            update(connection, "INSERT INTO model (id, operator_id, name) VALUES (?, ?, ?)", UUID.randomUUID(),
                    operatorId, name);
        }
    }

    private void insert(Connection connection) throws SQLException {
        update(connection, "INSERT INTO operator (id, slug, name, currency) VALUES (?, ?, 'Test MSP', 'USD')",
                operatorId, "op-" + operatorId);
        update(connection, "INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, 'markup only',"
                + " 'USD')", planId, operatorId);
        update(connection, "INSERT INTO client (id, operator_id, slug, name, currency, price_plan_id)"
                + " VALUES (?, ?, 'tenant-acme', 'Acme', 'USD', ?)", clientId, operatorId, planId);
        for (String model : MODELS) {
            update(connection, "INSERT INTO model (id, operator_id, name) VALUES (?, ?, ?)", UUID.randomUUID(),
                    operatorId, model);
        }
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

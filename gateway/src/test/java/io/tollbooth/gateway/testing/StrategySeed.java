package io.tollbooth.gateway.testing;

import java.util.List;
import java.util.UUID;

/**
 * The tenant of the routing strategy tests: operator {@code strategy-msp}, whose models are each served by two
 * backends that are both the simulator under different names, so only the gateway's choice tells them apart:
 *
 * <ul>
 *   <li>{@code st-weighted}: {@code weight-3} (weight 3) and {@code weight-1} (weight 1), strategy weighted;</li>
 *   <li>{@code st-least}: {@code least-a} then {@code least-b}, strategy least in flight;</li>
 *   <li>{@code st-queue}: {@code vllm-local} (its waiting queue read from {@code probeUrl/metrics}, at most 5)
 *       then {@code cloud-queue};</li>
 *   <li>{@code st-health}: {@code checked} (health at {@code probeUrl/health}) then {@code healthy-spare};</li>
 *   <li>{@code st-drain}: {@code drained} then {@code drain-spare}.</li>
 * </ul>
 */
public final class StrategySeed {

    public static final UUID OPERATOR = UUID.fromString("0a000000-0000-0000-0000-0000000000f2");
    public static final UUID CLIENT = UUID.fromString("0c000000-0000-0000-0000-0000000000f2");
    public static final Seed.TestKey KEY =
            new Seed.TestKey("strategy-main", UUID.fromString("0d000000-0000-0000-0000-0000000000f2"));

    private static final UUID PLAN = UUID.fromString("0b000000-0000-0000-0000-0000000000f2");
    private static final List<String> MODELS = List.of("st-weighted", "st-least", "st-queue", "st-health",
            "st-drain");

    private static boolean seeded;

    private StrategySeed() {
    }

    /** Inserts the rows unless they are there; the probed backends' health and metrics pages are at probeUrl. */
    public static synchronized void ensure(String probeUrl) {
        if (seeded) {
            return;
        }
        GatewayDatabase.execute("INSERT INTO operator (id, slug, name, currency) VALUES (?, 'strategy-msp', "
                + "'Strategy MSP', 'USD')", OPERATOR);
        GatewayDatabase.execute("INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, 'PLAN-S', "
                + "'USD')", PLAN, OPERATOR);
        GatewayDatabase.execute("INSERT INTO client (id, operator_id, slug, name, currency, price_plan_id) VALUES "
                + "(?, ?, 'tenant-strategy', 'Strategy Tenant', 'USD', ?)", CLIENT, OPERATOR, PLAN);
        GatewayDatabase.execute("INSERT INTO api_key (id, client_id, name, prefix, key_hash) VALUES (?, ?, ?, ?, ?)",
                KEY.id(), CLIENT, KEY.name(), KEY.prefix(), KEY.hash());
        for (int i = 0; i < MODELS.size(); i++) {
            GatewayDatabase.execute("INSERT INTO model (id, operator_id, name) VALUES (?, ?, ?)",
                    UUID.fromString(String.format("0e000000-0000-0000-0000-0000000001%02x", i)), OPERATOR,
                    MODELS.get(i));
        }
        route("st-weighted", "weighted", backend(1, "weight-3"), 3, backend(2, "weight-1"), 1);
        route("st-least", "least_in_flight", backend(3, "least-a"), 1, backend(4, "least-b"), 1);
        route("st-queue", null, backend(5, "vllm-local"), 1, backend(6, "cloud-queue"), 1);
        GatewayDatabase.execute("UPDATE backend SET metrics_url = ?, max_waiting = 5 WHERE id = ?",
                probeUrl + "/metrics", backendId(5));
        route("st-health", null, backend(7, "checked"), 1, backend(8, "healthy-spare"), 1);
        GatewayDatabase.execute("UPDATE backend SET health_url = ? WHERE id = ?", probeUrl + "/health",
                backendId(7));
        route("st-drain", null, backend(9, "drained"), 1, backend(10, "drain-spare"), 1);
        seeded = true;
    }

    /** Sets the drain flag of the backend named {@code name}, as an operator would. */
    public static void drain(String name, boolean draining) {
        GatewayDatabase.execute("UPDATE backend SET draining = ? WHERE operator_id = ? AND name = ?", draining,
                OPERATOR, name);
    }

    private static UUID backend(int number, String name) {
        UUID id = backendId(number);
        GatewayDatabase.execute("INSERT INTO backend (id, operator_id, name, base_url) VALUES (?, ?, ?, ?)", id,
                OPERATOR, name, RoutingSeed.simulatorBaseUrl());
        return id;
    }

    private static void route(String model, String strategy, UUID first, int firstWeight, UUID second,
            int secondWeight) {
        String insert = "INSERT INTO model_route (operator_id, model_name, backend_id, priority, weight) "
                + "VALUES (?, ?, ?, ?, ?)";
        GatewayDatabase.execute(insert, OPERATOR, model, first, 1, firstWeight);
        GatewayDatabase.execute(insert, OPERATOR, model, second, 2, secondWeight);
        if (strategy != null) {
            GatewayDatabase.execute("INSERT INTO model_strategy (operator_id, model_name, strategy) VALUES (?, ?, ?)",
                    OPERATOR, model, strategy);
        }
    }

    private static UUID backendId(int number) {
        return UUID.fromString(String.format("0f000000-0000-0000-0000-0000000001%02x", number));
    }
}

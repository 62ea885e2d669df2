package io.tollbooth.gateway.testing;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The tenant of the routing tests: operator {@code routing-msp} whose models are routed (tables {@code backend} and
 * {@code model_route}) to a broken backend, an unreachable one and the regular simulator, apart from every other
 * test's operator so no other test is routed. Inserted once per run.
 *
 * <ul>
 *   <li>{@code gpt-4o} and {@code o4-mini}: {@code broken-a}, then {@code cloud-b};</li>
 *   <li>{@code local-llama}: {@code unreachable} (nothing listens on port 1), then {@code cloud-b};</li>
 *   <li>{@code claude-sonnet}: {@code broken-a} to {@code broken-d}, four broken backends;</li>
 *   <li>{@code sim-alias}: {@code cloud-b}, which knows it as {@code sim-small-2026};</li>
 *   <li>{@code sim-spill}: {@code local-1} (the simulator, one request in flight at most), then {@code cloud-b};</li>
 *   <li>{@code sim-breaker}: {@code broken-e}, then {@code cloud-b}.</li>
 * </ul>
 */
public final class RoutingSeed {

    public static final UUID OPERATOR = UUID.fromString("0a000000-0000-0000-0000-0000000000f1");
    public static final UUID PLAN = UUID.fromString("0b000000-0000-0000-0000-0000000000f1");
    public static final UUID CLIENT = UUID.fromString("0c000000-0000-0000-0000-0000000000f1");

    /** The routing client's key. */
    public static final Seed.TestKey KEY =
            new Seed.TestKey("routing-main", UUID.fromString("0d000000-0000-0000-0000-0000000000f1"));

    private static final List<String> MODELS = List.of("gpt-4o", "o4-mini", "local-llama", "claude-sonnet",
            "sim-alias", "sim-spill", "sim-breaker");

    private static boolean seeded;

    private RoutingSeed() {
    }

    /** Inserts the rows unless they are there, with the broken backends at {@code brokenBaseUrl}. */
    public static synchronized void ensure(String brokenBaseUrl) {
        if (seeded) {
            return;
        }
        GatewayDatabase.execute("INSERT INTO operator (id, slug, name, currency) VALUES (?, 'routing-msp', "
                + "'Routing MSP', 'USD')", OPERATOR);
        GatewayDatabase.execute("INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, 'PLAN-T', "
                + "'USD')", PLAN, OPERATOR);
        GatewayDatabase.execute("INSERT INTO client (id, operator_id, slug, name, currency, price_plan_id) VALUES "
                + "(?, ?, 'tenant-routing', 'Routing Tenant', 'USD', ?)", CLIENT, OPERATOR, PLAN);
        GatewayDatabase.execute("INSERT INTO api_key (id, client_id, name, prefix, key_hash) VALUES (?, ?, ?, ?, ?)",
                KEY.id(), CLIENT, KEY.name(), KEY.prefix(), KEY.hash());
        for (int i = 0; i < MODELS.size(); i++) {
            GatewayDatabase.execute("INSERT INTO model (id, operator_id, name) VALUES (?, ?, ?)",
                    UUID.fromString(String.format("0e000000-0000-0000-0000-0000000000%02x", 0xf1 + i)), OPERATOR,
                    MODELS.get(i));
        }
        String simulator = simulatorBaseUrl();
        backend(1, "broken-a", brokenBaseUrl);
        backend(2, "broken-b", brokenBaseUrl);
        backend(3, "broken-c", brokenBaseUrl);
        backend(4, "broken-d", brokenBaseUrl);
        backend(5, "cloud-b", simulator);
        backend(6, "unreachable", "http://127.0.0.1:1/v1");
        backend(7, "local-1", simulator);
        GatewayDatabase.execute("UPDATE backend SET max_in_flight = 1 WHERE id = ?", backendId(7));
        backend(8, "broken-e", brokenBaseUrl);
        route("gpt-4o", 1, 5);
        route("o4-mini", 1, 5);
        route("local-llama", 6, 5);
        route("claude-sonnet", 1, 2, 3, 4);
        route("sim-spill", 7, 5);
        route("sim-breaker", 8, 5);
        GatewayDatabase.execute("INSERT INTO model_route (operator_id, model_name, backend_id, priority, "
                + "backend_model) VALUES (?, 'sim-alias', ?, 1, 'sim-small-2026')", OPERATOR, backendId(5));
        seeded = true;
    }

    private static void backend(int number, String name, String baseUrl) {
        GatewayDatabase.execute("INSERT INTO backend (id, operator_id, name, base_url) VALUES (?, ?, ?, ?)",
                backendId(number), OPERATOR, name, baseUrl);
    }

    /** Routes {@code model} to the numbered backends, in priority order. */
    private static void route(String model, int... backends) {
        for (int priority = 0; priority < backends.length; priority++) {
            GatewayDatabase.execute("INSERT INTO model_route (operator_id, model_name, backend_id, priority) VALUES "
                    + "(?, ?, ?, ?)", OPERATOR, model, backendId(backends[priority]), priority + 1);
        }
    }

    /** The simulator's base URL, where {@code cloud-b} and {@code local-1} are. */
    public static String simulatorBaseUrl() {
        return ConfigProvider.getConfig().getValue(SimulatorResource.BASE_URL_KEY, String.class);
    }

    private static UUID backendId(int number) {
        return UUID.fromString(String.format("0f000000-0000-0000-0000-0000000000%02x", 0xf0 + number));
    }
}

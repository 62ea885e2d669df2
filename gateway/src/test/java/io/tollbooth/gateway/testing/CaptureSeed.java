package io.tollbooth.gateway.testing;

import java.util.List;
import java.util.UUID;

/**
 * The tenant of the usage-capture tests: operator {@code capture-msp} offering the field cases' models, its client
 * {@code tenant-acme} on plan {@code PLAN-T} and that client's keys (one of them restricted to one model), apart
 * from the {@link Seed} rows so the capture tests never change what the other tests see. Inserted once per run
 * (idempotently, as each Quarkus application of a run may ask again).
 */
public final class CaptureSeed {

    public static final UUID OPERATOR = UUID.fromString("0a000000-0000-0000-0000-0000000000c1");
    public static final UUID PLAN = UUID.fromString("0b000000-0000-0000-0000-0000000000c1");
    public static final UUID CLIENT = UUID.fromString("0c000000-0000-0000-0000-0000000000c1");

    /** The capture client's key. */
    public static final Seed.TestKey KEY =
            new Seed.TestKey("capture-main", UUID.fromString("0d000000-0000-0000-0000-0000000000c1"));

    /** A second key of the capture client, restricted to {@code gpt-4o}. */
    public static final Seed.TestKey RESTRICTED_KEY =
            new Seed.TestKey("capture-gpt-4o-only", UUID.fromString("0d000000-0000-0000-0000-0000000000c2"));

    /** The models of PLAN-T, and the embedding and transcription models the API-surface tests call. */
    public static final List<String> MODELS = List.of("gpt-4o", "o4-mini", "claude-sonnet", "local-llama",
            "text-embedding-3-small", "whisper-1");

    private static boolean seeded;

    private CaptureSeed() {
    }

    /** Inserts the rows unless they are there. */
    public static synchronized void ensure() {
        if (seeded) {
            return;
        }
        GatewayDatabase.execute("INSERT INTO operator (id, slug, name, currency) VALUES (?, 'capture-msp', "
                + "'Capture MSP', 'USD') ON CONFLICT DO NOTHING", OPERATOR);
        GatewayDatabase.execute("INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, 'PLAN-T', "
                + "'USD') ON CONFLICT DO NOTHING", PLAN, OPERATOR);
        GatewayDatabase.execute("INSERT INTO client (id, operator_id, slug, name, currency, price_plan_id) VALUES "
                + "(?, ?, 'tenant-acme', 'Acme Tenant', 'USD', ?) ON CONFLICT DO NOTHING", CLIENT, OPERATOR, PLAN);
        for (int i = 0; i < MODELS.size(); i++) {
            GatewayDatabase.execute("INSERT INTO model (id, operator_id, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    UUID.fromString(String.format("0e000000-0000-0000-0000-0000000000%02x", 0xc1 + i)), OPERATOR,
                    MODELS.get(i));
        }
        GatewayDatabase.execute("INSERT INTO api_key (id, client_id, name, prefix, key_hash) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", KEY.id(), CLIENT, KEY.name(), KEY.prefix(), KEY.hash());
        GatewayDatabase.execute("INSERT INTO api_key (id, client_id, name, prefix, key_hash) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", RESTRICTED_KEY.id(), CLIENT, RESTRICTED_KEY.name(),
                RESTRICTED_KEY.prefix(), RESTRICTED_KEY.hash());
        GatewayDatabase.execute("INSERT INTO api_key_model (api_key_id, model_name) VALUES (?, 'gpt-4o') "
                + "ON CONFLICT DO NOTHING", RESTRICTED_KEY.id());
        seeded = true;
    }
}

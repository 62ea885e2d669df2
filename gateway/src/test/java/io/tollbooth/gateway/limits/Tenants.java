package io.tollbooth.gateway.limits;

import io.tollbooth.gateway.testing.GatewayDatabase;
import io.tollbooth.gateway.testing.Seed;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * Creates a fresh tenant for each limits test, so no two tests share a counter or a cached limit: its own operator
 * with plan {@code PLAN-T} (USD, 0 % markup, so charge = cost) pricing {@code gpt-4o} at 2.50 input, 1.25 cached
 * input and 10.00 output per 1M tokens, one client (UTC) and one key.
 */
final class Tenants {

    /** The model of the cases, priced as in CASES.md. */
    static final String GPT_4O = "gpt-4o";
    /** A model the operator offers but has no price for. */
    static final String UNPRICED_MODEL = "gpt-4o-2099-01-01";

    private Tenants() {
    }

    /** A new tenant with no limits yet. */
    static Tenant create() {
        UUID operator = UUID.randomUUID();
        UUID plan = UUID.randomUUID();
        UUID client = UUID.randomUUID();
        UUID model = UUID.randomUUID();
        GatewayDatabase.execute("INSERT INTO operator (id, slug, name, currency) VALUES (?, ?, 'Limits MSP', 'USD')",
                operator, "limits-" + operator);
        GatewayDatabase.execute("INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, 'PLAN-T', "
                + "'USD')", plan, operator);
        GatewayDatabase.execute("INSERT INTO model (id, operator_id, name) VALUES (?, ?, ?), (?, ?, ?)", model,
                operator, GPT_4O, UUID.randomUUID(), operator, UNPRICED_MODEL);
        Timestamp from = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
        UUID inputPrice = UUID.randomUUID();
        GatewayDatabase.execute("INSERT INTO price (id, price_plan_id, model_id, token_kind, price_per_million, "
                + "currency, effective_from) VALUES (?, ?, ?, 'input', 2.50, 'USD', ?), "
                + "(?, ?, ?, 'cached_input', 1.25, 'USD', ?), (?, ?, ?, 'output', 10.00, 'USD', ?)",
                inputPrice, plan, model, from, UUID.randomUUID(), plan, model, from, UUID.randomUUID(), plan, model,
                from);
        GatewayDatabase.execute("INSERT INTO client (id, operator_id, slug, name, currency, price_plan_id) VALUES "
                + "(?, ?, 'tenant-acme', 'Acme Tenant', 'USD', ?)", client, operator, plan);
        Tenant tenant = new Tenant(operator, client, model, inputPrice, addKey(client, "main"));
        return tenant;
    }

    /** A second key of the tenant's client. */
    static Seed.TestKey addKey(UUID client, String name) {
        Seed.TestKey key = new Seed.TestKey("limits-" + name + "-" + UUID.randomUUID(), UUID.randomUUID());
        GatewayDatabase.execute("INSERT INTO api_key (id, client_id, name, prefix, key_hash) VALUES (?, ?, ?, ?, ?)",
                key.id(), client, key.name(), key.prefix(), key.hash());
        return key;
    }

    /**
     * A tenant and its rows.
     *
     * @param operator its operator
     * @param client its client
     * @param model the id of {@code gpt-4o} in its catalogue
     * @param inputPrice the id of the {@code gpt-4o} input price
     * @param key its key
     */
    record Tenant(UUID operator, UUID client, UUID model, UUID inputPrice, Seed.TestKey key) {

        /** Sets the client's limits; null is no limit. */
        Tenant clientLimits(Integer requestsPerMinute, Long tokensPerMinute, Integer maxInFlight, String budget) {
            GatewayDatabase.execute("INSERT INTO client_limit (client_id, requests_per_minute, tokens_per_minute, "
                    + "max_in_flight, budget_amount, budget_currency) VALUES (?, ?, ?, ?, ?, ?)", client,
                    requestsPerMinute, tokensPerMinute, maxInFlight, budget == null ? null : new BigDecimal(budget),
                    budget == null ? null : "USD");
            return this;
        }

        /** Sets the limits of {@code limited}, a key of this client; null is no limit. */
        Tenant keyLimits(Seed.TestKey limited, Integer requestsPerMinute, Long tokensPerMinute, Integer maxInFlight,
                String budget) {
            GatewayDatabase.execute("INSERT INTO api_key_limit (api_key_id, requests_per_minute, tokens_per_minute, "
                    + "max_in_flight, budget_amount, budget_currency) VALUES (?, ?, ?, ?, ?, ?)", limited.id(),
                    requestsPerMinute, tokensPerMinute, maxInFlight, budget == null ? null : new BigDecimal(budget),
                    budget == null ? null : "USD");
            return this;
        }

        /**
         * Books {@code amount} of rated input charge at {@code at} in the ledger, for {@code key}'s requests (the
         * tenant's own key when null).
         */
        Tenant rated(Seed.TestKey byKey, String amount, Instant at) {
            Seed.TestKey key = byKey == null ? this.key : byKey;
            UUID eventId = UUID.randomUUID();
            GatewayDatabase.execute("INSERT INTO usage_event (client_id, source, event_id, request_id, api_key_id, "
                    + "requested_model, stream, status, usage_source, input_tokens, cached_input_tokens, "
                    + "cache_write_tokens, output_tokens, reasoning_tokens, latency_ms, occurred_at, rating_status, "
                    + "payload) VALUES (?, 'tollbooth-gateway', ?, ?, ?, 'gpt-4o', false, 'OK', 'REPORTED', 1, 0, 0, "
                    + "0, 0, 1, ?, 'RATED', '{}'::jsonb)", client, "usage-" + eventId, eventId.toString(), key.id(),
                    Timestamp.from(at));
            GatewayDatabase.execute("INSERT INTO rated_usage (usage_event_id, client_id, model_id, token_kind, "
                    + "quantity, price_id, price_per_million, amount, currency, occurred_at) "
                    + "SELECT id, ?, ?, 'input', 1, ?, 2.50, ?, 'USD', ? FROM usage_event WHERE event_id = ?",
                    client, model, inputPrice, new BigDecimal(amount), Timestamp.from(at), "usage-" + eventId);
            return this;
        }
    }
}

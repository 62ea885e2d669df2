package io.tollbooth.billing;

import io.agroal.api.AgroalDataSource;
import io.tollbooth.billing.invoice.LineUnit;
import io.tollbooth.usage.event.TokenKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * Seeds operators, clients, models, prices and usage with plain SQL, as the control plane and metering would
 * write them. Rated amounts are computed by PostgreSQL at full precision: tokens × price / 1,000,000.
 */
@ApplicationScoped
public class BillingFixtures {

    /** Usage is seeded long after any price in the tests takes effect. */
    public static final String PRICES_FROM = "2026-01-01T00:00:00Z";

    /** When the tests' clients signed up, before any month the tests bill. */
    public static final Instant CLIENTS_SINCE = Instant.parse("2025-01-01T00:00:00Z");

    private final AgroalDataSource dataSource;

    BillingFixtures(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An operator row. */
    public record Operator(UUID id, String slug) {
    }

    /** A client row with its own price plan. */
    public record Client(UUID id, UUID operatorId, UUID planId, String slug, String currency) {
    }

    /** Token counts of one event, per kind. */
    public record Tokens(Map<TokenKind, Long> perKind) {

        public static Tokens input(long input) {
            return of(TokenKind.INPUT, input);
        }

        public static Tokens of(TokenKind kind, long tokens) {
            return new Tokens(new EnumMap<>(Map.of(kind, tokens)));
        }

        public static Tokens inputAndOutput(long input, long output) {
            return new Tokens(new EnumMap<>(Map.of(TokenKind.INPUT, input, TokenKind.OUTPUT, output)));
        }

        long of(TokenKind kind) {
            return perKind.getOrDefault(kind, 0L);
        }
    }

    /** Empties every table, so each test starts from nothing and numbers start at 1. */
    public void clear() {
        update("TRUNCATE operator, model, price_plan, price, client, api_key, usage_event, rated_usage, invoice,"
                + " invoice_line, invoice_number_counter, billing_account, tax_rate, invoice_tax, credit_entry,"
                + " credit_note, credit_note_line, credit_note_number_counter, billing_audit, rating_audit,"
                + " rating_adjustment RESTART IDENTITY CASCADE");
    }

    public Operator operator(String slug, String name) {
        return operator(slug, name, null, null);
    }

    public Operator operator(String slug, String name, String address, String taxId) {
        UUID id = UUID.randomUUID();
        update("INSERT INTO operator (id, slug, name, address, tax_id, currency) VALUES (?, ?, ?, ?, ?, 'USD')",
                id, slug, name, address, taxId);
        return new Operator(id, slug);
    }

    /** The operator with this slug, created before. */
    public Operator operatorNamed(String slug) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT id FROM operator WHERE slug = ?")) {
            statement.setString(1, slug);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return new Operator(rs.getObject(1, UUID.class), slug);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client billed in {@code currency} in time zone {@code zone}, on a price plan of its own, a client since
     * {@link #CLIENTS_SINCE}.
     */
    public Client client(Operator operator, String slug, String name, String currency, String zone) {
        return client(operator, slug, name, currency, zone, CLIENTS_SINCE);
    }

    /** Like {@link #client(Operator, String, String, String, String)}, a client since {@code createdAt}. */
    public Client client(Operator operator, String slug, String name, String currency, String zone,
            Instant createdAt) {
        UUID planId = UUID.randomUUID();
        update("INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, ?, ?)",
                planId, operator.id(), "plan-" + slug, currency);
        UUID id = UUID.randomUUID();
        update("INSERT INTO client (id, operator_id, slug, name, currency, time_zone, price_plan_id, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, operator.id(), slug, name, currency, zone, planId,
                OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
        return new Client(id, operator.id(), planId, slug, currency);
    }

    /** A price per 1,000,000 tokens of a kind of a model, in the client's plan, from {@link #PRICES_FROM}. */
    public void price(Client client, String model, TokenKind kind, String perMillion) {
        price(client, model, kind, perMillion, PRICES_FROM);
    }

    /** A price per 1,000,000 tokens of a kind of a model, in the client's plan, from {@code effectiveFrom}. */
    public void price(Client client, String model, TokenKind kind, String perMillion, String effectiveFrom) {
        update("INSERT INTO price (id, price_plan_id, model_id, token_kind, price_per_million, currency,"
                + " effective_from) VALUES (?, ?, ?, ?, ?::numeric, ?, ?)", UUID.randomUUID(), client.planId(),
                model(client.operatorId(), model), kind.code(), perMillion, client.currency(),
                instant(effectiveFrom));
    }

    /**
     * A price of one request or one second of audio of a model, in the client's plan, from {@link #PRICES_FROM}.
     * (Metering keeps such a price, like a token price, in {@code price_per_million}.)
     */
    public void unitPrice(Client client, String model, LineUnit unit, String price) {
        update("INSERT INTO price (id, price_plan_id, model_id, token_kind, price_per_million, currency,"
                + " effective_from) VALUES (?, ?, ?, ?, ?::numeric, ?, ?)", UUID.randomUUID(), client.planId(),
                model(client.operatorId(), model), unit.code(), price, client.currency(), instant(PRICES_FROM));
    }

    /**
     * {@code count} rated usage events of {@code model}, each counting {@code quantity} of {@code unit} (requests
     * or audio seconds) at the price of {@link #unitPrice}, at {@code occurredAt}: one rated_usage row per event,
     * its amount {@code quantity × price} unrounded.
     */
    public void ratedUnits(Client client, String model, String occurredAt, int count, LineUnit unit, long quantity) {
        String batch = events(client, model, occurredAt, count, Tokens.input(0), "req-" + UUID.randomUUID(),
                "RATED");
        rate(client, model, unit.code(), quantity, 1, batch);
    }

    /**
     * {@code count} rated usage events of {@code model}, each with {@code tokens}, at {@code occurredAt}; one
     * rated_usage row per event and kind, at the price in effect then. Request ids are
     * {@code <requestIdPrefix>-1}, {@code -2}, ...
     */
    public void rated(Client client, String model, String occurredAt, int count, Tokens tokens,
            String requestIdPrefix) {
        String batch = events(client, model, occurredAt, count, tokens, requestIdPrefix, "RATED");
        for (TokenKind kind : TokenKind.values()) {
            if (tokens.of(kind) > 0) {
                rate(client, model, kind.code(), tokens.of(kind), 1_000_000, batch);
            }
        }
    }

    public void rated(Client client, String model, String occurredAt, int count, Tokens tokens) {
        rated(client, model, occurredAt, count, tokens, "req-" + UUID.randomUUID());
    }

    /** Changes the client's billing currency, leaving its rated usage as it is. */
    public void setClientCurrency(Client client, String currency) {
        update("UPDATE client SET currency = ? WHERE id = ?", currency, client.id());
    }

    /** Renames the client, as the control plane would. */
    public void renameClient(Client client, String name) {
        update("UPDATE client SET name = ? WHERE id = ?", name, client.id());
    }

    /** {@code count} usage events of a model that metering could not price. */
    public void unpriced(Client client, String model, String occurredAt, int count) {
        events(client, model, occurredAt, count, Tokens.input(100), "req-" + UUID.randomUUID(), "UNPRICED");
    }

    /**
     * What metering records when it re-rates {@code events} events of an issued invoice: an audit row and the
     * difference for billing to settle, {@code amountAfter - amountBefore} at full precision, at {@code at}.
     */
    public void ratingAdjustment(Client client, UUID invoiceId, int events, String amountBefore, String amountAfter,
            String at) {
        update("""
                WITH audit AS (
                    INSERT INTO rating_audit (client_id, kind, period_start, period_end, actor, reason, occurred_at,
                        events, unpriced_before, unpriced_after, amount_before, amount_after, cost_before,
                        cost_after, currency)
                    VALUES (?, 'rerated', ?, ?, 'ops-anna', 'price fix', ?, ?, 0, 0, ?::numeric, ?::numeric, 0, 0, ?)
                    RETURNING id)
                INSERT INTO rating_adjustment (rating_audit_id, client_id, invoice_id, events, amount_before,
                    amount_after, difference, currency, created_at)
                SELECT id, ?, ?, ?, ?::numeric, ?::numeric, ?::numeric - ?::numeric, ?, ? FROM audit
                """, client.id(), instant(at), instant(at), instant(at), events, amountBefore, amountAfter,
                client.currency(), client.id(), invoiceId, events, amountBefore, amountAfter, amountAfter,
                amountBefore, client.currency(), instant(at));
    }

    public long count(String table) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
                var rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String events(Client client, String model, String occurredAt, int count, Tokens tokens,
            String requestIdPrefix, String ratingStatus) {
        String batch = UUID.randomUUID().toString();
        update("""
                INSERT INTO usage_event (client_id, source, event_id, request_id, requested_model, served_model,
                    stream, status, usage_source, input_tokens, cached_input_tokens, cache_write_tokens,
                    output_tokens, reasoning_tokens, latency_ms, occurred_at, rating_status, payload)
                SELECT ?, 'billing-test', ? || '-' || g, ? || '-' || g, ?, ?, false, 'ok', 'response', ?, ?, ?,
                    ?, 0, 100, ?, ?, '{}'::jsonb
                  FROM generate_series(1, ?) g
                """, client.id(), batch, requestIdPrefix, model, model, tokens.of(TokenKind.INPUT),
                tokens.of(TokenKind.CACHED_INPUT), tokens.of(TokenKind.CACHE_WRITE), tokens.of(TokenKind.OUTPUT),
                instant(occurredAt), ratingStatus, count);
        return batch;
    }

    // The amount is quantity × price / perUnits exactly: perUnits is 1,000,000 for tokens and 1 otherwise.
    private void rate(Client client, String model, String unit, long quantity, int perUnits, String batch) {
        update("""
                INSERT INTO rated_usage (usage_event_id, client_id, model_id, token_kind, quantity, price_id,
                    price_per_million, amount, currency, occurred_at)
                SELECT e.id, e.client_id, p.model_id, p.token_kind, ?, p.id, p.price_per_million,
                       ? * p.price_per_million / ?, p.currency, e.occurred_at
                  FROM usage_event e
                  JOIN LATERAL (SELECT * FROM price
                                 WHERE price_plan_id = ? AND model_id = ? AND token_kind = ?
                                   AND effective_from <= e.occurred_at
                                 ORDER BY effective_from DESC LIMIT 1) p ON true
                 WHERE e.client_id = ? AND e.event_id LIKE ? || '-%'
                """, quantity, quantity, perUnits, client.planId(), model(client.operatorId(), model), unit,
                client.id(), batch);
    }

    private UUID model(UUID operatorId, String name) {
        update("INSERT INTO model (id, operator_id, name) VALUES (?, ?, ?) ON CONFLICT (operator_id, name)"
                + " DO NOTHING", UUID.randomUUID(), operatorId, name);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT id FROM model WHERE operator_id = ? AND name = ?")) {
            statement.setObject(1, operatorId);
            statement.setString(2, name);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime instant(String iso) {
        return OffsetDateTime.ofInstant(Instant.parse(iso), ZoneOffset.UTC);
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}

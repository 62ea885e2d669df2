package io.tollbooth.metering.rating;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Reads from PostgreSQL the part of the price book that a batch of events needs: its clients, the models they
 * name and, for those, every cost, plan and client price, every markup and every move to another plan (the whole
 * history, so any event time can be rated). Five queries, whatever the batch's size.
 */
@ApplicationScoped
public class PriceBookLoader {

    private static final String CLIENTS = "SELECT id, operator_id, price_plan_id, currency, time_zone FROM client"
            + " WHERE id = ANY (?)";

    /**
     * A share lock on the clients keeps an invoice of theirs from being closed while the batch is written (billing
     * locks the client to close), so each event is either on the invoice or rated knowing the invoice exists.
     */
    private static final String LOCK = " FOR SHARE";

    private static final String MODELS = "SELECT id, operator_id, name FROM model"
            + " WHERE operator_id = ANY (?) AND name = ANY (?)";

    private static final String PRICES = "SELECT 'cost', id, operator_id, model_id, unit, long_context_over, 0,"
            + " 'graduated', unit_price, currency, effective_from, revision"
            + " FROM cost_price WHERE operator_id = ANY (?) AND model_id = ANY (?)"
            + " UNION ALL SELECT 'plan', id, price_plan_id, model_id, token_kind, long_context_over, monthly_from,"
            + " tier_mode, price_per_million, currency, effective_from, 0"
            + " FROM price WHERE price_plan_id = ANY (?) AND model_id = ANY (?)"
            + " UNION ALL SELECT 'client', id, client_id, model_id, unit, long_context_over, monthly_from,"
            + " tier_mode, unit_price, currency, effective_from, revision"
            + " FROM client_price WHERE client_id = ANY (?) AND model_id = ANY (?)";

    private static final String PLAN_CHANGES = "SELECT client_id, price_plan_id, effective_from, revision"
            + " FROM client_plan_change WHERE client_id = ANY (?)";

    private static final String MARKUPS = "SELECT id, client_id, markup_percent, effective_from, revision"
            + " FROM client_markup WHERE client_id = ANY (?)";

    /**
     * Loads the clients with ids in {@code clientIds} and, for them, the models named in {@code modelNames} with
     * their prices. Unknown ids and names are simply absent from the result.
     */
    public PriceBook load(Connection connection, Collection<UUID> clientIds, Collection<String> modelNames)
            throws SQLException {
        return load(connection, clientIds, modelNames, false);
    }

    /**
     * As {@link #load(Connection, Collection, Collection)}, and when {@code lockClients} holds a share lock on the
     * clients until the caller's transaction ends: take it before writing rated usage.
     */
    public PriceBook load(Connection connection, Collection<UUID> clientIds, Collection<String> modelNames,
            boolean lockClients) throws SQLException {
        PriceBook.Builder book = PriceBook.builder();
        if (clientIds.isEmpty()) {
            return book.build();
        }
        Set<UUID> operators = new HashSet<>();
        Set<UUID> plans = new HashSet<>();
        Set<UUID> clients = new HashSet<>();
        loadClients(connection, clientIds, lockClients, book, operators, plans, clients);
        loadPlanChanges(connection, clients, book, plans);
        Set<UUID> models = loadModels(connection, operators, modelNames, book);
        if (!models.isEmpty()) {
            loadPrices(connection, operators, plans, clients, models, book);
        }
        loadMarkups(connection, clients, book);
        return book.build();
    }

    private void loadClients(Connection connection, Collection<UUID> clientIds, boolean lock, PriceBook.Builder book,
            Set<UUID> operators, Set<UUID> plans, Set<UUID> clients) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lock ? CLIENTS + LOCK : CLIENTS)) {
            statement.setArray(1, uuids(connection, clientIds));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ClientPlan client = new ClientPlan(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getObject(3, UUID.class), rows.getString(4).trim(), ZoneId.of(rows.getString(5)));
                    book.client(client);
                    operators.add(client.operatorId());
                    plans.add(client.planId());
                    clients.add(client.clientId());
                }
            }
        }
    }

    private void loadPlanChanges(Connection connection, Set<UUID> clients, PriceBook.Builder book, Set<UUID> plans)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PLAN_CHANGES)) {
            statement.setArray(1, uuids(connection, clients));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    PlanChange change = new PlanChange(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getObject(3, OffsetDateTime.class).toInstant(), rows.getLong(4));
                    book.planChange(change);
                    plans.add(change.planId());
                }
            }
        }
    }

    private Set<UUID> loadModels(Connection connection, Set<UUID> operators, Collection<String> names,
            PriceBook.Builder book) throws SQLException {
        Set<UUID> models = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(MODELS)) {
            statement.setArray(1, uuids(connection, operators));
            statement.setArray(2, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    UUID modelId = rows.getObject(1, UUID.class);
                    book.model(rows.getObject(2, UUID.class), rows.getString(3), modelId);
                    models.add(modelId);
                }
            }
        }
        return models;
    }

    private void loadPrices(Connection connection, Set<UUID> operators, Set<UUID> plans, Set<UUID> clients,
            Set<UUID> models, PriceBook.Builder book) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PRICES)) {
            Array modelIds = uuids(connection, models);
            statement.setArray(1, uuids(connection, operators));
            statement.setArray(2, modelIds);
            statement.setArray(3, uuids(connection, plans));
            statement.setArray(4, modelIds);
            statement.setArray(5, uuids(connection, clients));
            statement.setArray(6, modelIds);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Price price = new Price(rows.getObject(2, UUID.class), rows.getObject(3, UUID.class),
                            rows.getObject(4, UUID.class), UsageUnit.ofCode(rows.getString(5)), rows.getLong(6),
                            rows.getLong(7), TierMode.ofCode(rows.getString(8)), rows.getBigDecimal(9),
                            rows.getString(10).trim(), rows.getObject(11, OffsetDateTime.class).toInstant(),
                            rows.getLong(12));
                    switch (rows.getString(1)) {
                        case "cost" -> book.cost(price);
                        case "plan" -> book.plan(price);
                        default -> book.clientPrice(price);
                    }
                }
            }
        }
    }

    private void loadMarkups(Connection connection, Set<UUID> clients, PriceBook.Builder book) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(MARKUPS)) {
            statement.setArray(1, uuids(connection, clients));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    book.markup(new Markup(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getBigDecimal(3), rows.getObject(4, OffsetDateTime.class).toInstant(),
                            rows.getLong(5)));
                }
            }
        }
    }

    private static Array uuids(Connection connection, Collection<UUID> ids) throws SQLException {
        return connection.createArrayOf("uuid", ids.toArray());
    }
}

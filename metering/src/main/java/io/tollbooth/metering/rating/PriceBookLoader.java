package io.tollbooth.metering.rating;

import io.tollbooth.usage.event.TokenKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Reads from PostgreSQL the part of the price book that a batch of events needs: its clients, the models they
 * name and every price of those models in the clients' plans (the whole history, so any event time can be rated).
 */
@ApplicationScoped
public class PriceBookLoader {

    private static final String CLIENTS = "SELECT c.id, c.operator_id, c.price_plan_id, p.currency"
            + " FROM client c JOIN price_plan p ON p.id = c.price_plan_id WHERE c.id = ANY (?)";

    private static final String MODELS = "SELECT id, operator_id, name FROM model"
            + " WHERE operator_id = ANY (?) AND name = ANY (?)";

    private static final String PRICES = "SELECT id, price_plan_id, model_id, token_kind, price_per_million,"
            + " currency, effective_from FROM price WHERE price_plan_id = ANY (?) AND model_id = ANY (?)";

    /**
     * Loads the clients with ids in {@code clientIds} and, for them, the models named in {@code modelNames}
     * with their prices. Unknown ids and names are simply absent from the result.
     */
    public PriceBook load(Connection connection, Collection<UUID> clientIds, Collection<String> modelNames)
            throws SQLException {
        PriceBook.Builder book = PriceBook.builder();
        if (clientIds.isEmpty()) {
            return book.build();
        }
        Set<UUID> operators = new HashSet<>();
        Set<UUID> plans = new HashSet<>();
        loadClients(connection, clientIds, book, operators, plans);
        Set<UUID> models = loadModels(connection, operators, modelNames, book);
        loadPrices(connection, plans, models, book);
        return book.build();
    }

    private void loadClients(Connection connection, Collection<UUID> clientIds, PriceBook.Builder book,
            Set<UUID> operators, Set<UUID> plans) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CLIENTS)) {
            statement.setArray(1, uuids(connection, clientIds));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ClientPlan client = new ClientPlan(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getObject(3, UUID.class), rows.getString(4));
                    book.client(client);
                    operators.add(client.operatorId());
                    plans.add(client.planId());
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

    private void loadPrices(Connection connection, Set<UUID> plans, Set<UUID> models, PriceBook.Builder book)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PRICES)) {
            statement.setArray(1, uuids(connection, plans));
            statement.setArray(2, uuids(connection, models));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    book.price(new Price(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getObject(3, UUID.class), TokenKind.ofCode(rows.getString(4)),
                            rows.getBigDecimal(5), rows.getString(6),
                            rows.getObject(7, OffsetDateTime.class).toInstant()));
                }
            }
        }
    }

    private static Array uuids(Connection connection, Collection<UUID> ids) throws SQLException {
        return connection.createArrayOf("uuid", ids.toArray());
    }
}

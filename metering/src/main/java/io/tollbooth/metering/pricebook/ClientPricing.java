package io.tollbooth.metering.pricebook;

import io.tollbooth.metering.ledger.Rerating;
import io.tollbooth.metering.rating.Markup;
import io.tollbooth.metering.rating.Price;
import io.tollbooth.metering.rating.PriceBook;
import io.tollbooth.metering.rating.TierMode;
import io.tollbooth.metering.rating.UsageUnit;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * What a client alone is charged: prices of its own for some models ({@code client_price}, in the client's
 * currency, with long-context tiers and monthly bands) and its markup over the operator's cost
 * ({@code client_markup}). Every change is written in one transaction, or not at all.
 */
@ApplicationScoped
public class ClientPricing {

    private static final Logger LOG = Logger.getLogger(ClientPricing.class);

    private static final String LOCK_CLIENT = "SELECT operator_id, currency FROM client WHERE id = ?"
            + " FOR NO KEY UPDATE";

    private static final String PRICES = "SELECT p.id, p.client_id, p.model_id, p.unit, p.long_context_over,"
            + " p.monthly_from, p.tier_mode, p.unit_price, p.currency, p.effective_from, p.revision, m.name,"
            + " p.created_by, p.created_at FROM client_price p JOIN model m ON m.id = p.model_id WHERE p.client_id = ?";

    private static final String INSERT_PRICE = "INSERT INTO client_price (id, client_id, model_id, unit,"
            + " long_context_over, monthly_from, tier_mode, unit_price, currency, effective_from, created_by,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING revision";

    private static final String MARKUPS = "SELECT id, client_id, markup_percent, effective_from, revision,"
            + " created_by, created_at FROM client_markup WHERE client_id = ? ORDER BY effective_from, revision";

    private static final String INSERT_MARKUP = "INSERT INTO client_markup (id, client_id, markup_percent,"
            + " effective_from, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING revision";

    private final DataSource dataSource;
    private final Rerating rerating;

    public ClientPricing(DataSource dataSource, Rerating rerating) {
        this.dataSource = dataSource;
        this.rerating = rerating;
    }

    /**
     * Adds prices of the client's own, in the client's currency, then rates the client's usage that was waiting
     * for a price and has one now.
     *
     * @return the rows written, in the order given
     * @throws PriceBookException when the client or a model does not exist, the prices contradict themselves or
     *     one is out of line and {@code change} is not confirmed; nothing is written then
     * @throws SQLException when the database fails; nothing is written then
     */
    public List<StoredPrice> addPrices(UUID clientId, List<NewPrice> prices, Change change) throws SQLException {
        List<StoredPrice> added = inTransaction(connection -> {
            ClientRow client = lockClient(connection, clientId);
            Map<String, UUID> models = PriceEntries.models(connection, client.operatorId(), prices);
            PriceBook stored = storedPrices(connection, clientId);
            LiteLlmReference reference = LiteLlmReference.load(connection, client.operatorId(), models.values(),
                    client.currency());
            PriceEntries.check(prices, models, modelId -> stored.clientPrices(clientId, modelId), reference,
                    change.confirmed());
            List<StoredPrice> written = new ArrayList<>(prices.size());
            for (NewPrice price : prices) {
                written.add(insertPrice(connection, clientId, models.get(price.model()), price, client.currency(),
                        change));
            }
            LOG.infof("client_prices_added client=%s prices=%d confirmed=%s actor=%s", clientId, written.size(),
                    change.confirmed(), change.actor());
            return written;
        });
        rateWaiting(clientId, change);
        return added;
    }

    /**
     * Sets the client's markup over cost from {@code effectiveFrom}; a markup for an instant that has one corrects
     * it. Then rates the client's usage that was waiting for a price and has one now.
     *
     * @param percent 20 charges cost x 1.20; at least -100
     * @throws PriceBookException when the client does not exist or the markup is below -100 %
     */
    public StoredMarkup setMarkup(UUID clientId, BigDecimal percent, Instant effectiveFrom, Change change)
            throws SQLException {
        if (percent.compareTo(BigDecimal.valueOf(-100)) < 0) {
            throw new PriceBookException(PriceBookError.INVALID, "a markup below -100 % would charge less than"
                    + " nothing");
        }
        StoredMarkup markup = inTransaction(connection -> {
            lockClient(connection, clientId);
            UUID id = UUID.randomUUID();
            try (PreparedStatement insert = connection.prepareStatement(INSERT_MARKUP)) {
                insert.setObject(1, id);
                insert.setObject(2, clientId);
                insert.setBigDecimal(3, percent);
                insert.setObject(4, utc(effectiveFrom));
                insert.setString(5, change.actor());
                insert.setObject(6, utc(change.at()));
                try (ResultSet revision = insert.executeQuery()) {
                    revision.next();
                    LOG.infof("client_markup_set client=%s percent=%s from=%s actor=%s", clientId,
                            percent.toPlainString(), effectiveFrom, change.actor());
                    return new StoredMarkup(new Markup(id, clientId, percent, effectiveFrom, revision.getLong(1)),
                            change.actor(), change.at(), null);
                }
            }
        });
        rateWaiting(clientId, change);
        return markup;
    }

    private void rateWaiting(UUID clientId, Change change) {
        WaitingUsage.rate(() -> rerating.rateWaiting(Set.of(clientId), WaitingUsage.correction(change)),
                "client=" + clientId);
    }

    /** Every price of the client's own, by model, unit, tier, band and time. */
    public List<StoredPrice> prices(UUID clientId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(PRICES + " ORDER BY m.name, p.unit,"
                        + " p.long_context_over, p.monthly_from, p.effective_from, p.revision")) {
            statement.setObject(1, clientId);
            List<StoredPrice> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(readPrice(result));
                }
            }
            return PriceEntries.withCorrections(rows);
        }
    }

    /** Every markup of the client, by time. */
    public List<StoredMarkup> markups(UUID clientId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(MARKUPS)) {
            statement.setObject(1, clientId);
            List<StoredMarkup> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new StoredMarkup(new Markup(result.getObject(1, UUID.class),
                            result.getObject(2, UUID.class), result.getBigDecimal(3),
                            PriceEntries.instant(result, 4), result.getLong(5)), result.getString(6),
                            PriceEntries.instant(result, 7), null));
                }
            }
            return markupCorrections(rows);
        }
    }

    private static List<StoredMarkup> markupCorrections(List<StoredMarkup> rows) {
        Map<Instant, List<StoredMarkup>> byInstant = new HashMap<>();
        rows.forEach(row -> byInstant.computeIfAbsent(row.markup().effectiveFrom(), at -> new ArrayList<>()).add(row));
        Map<UUID, UUID> correctedBy = new HashMap<>();
        for (List<StoredMarkup> same : byInstant.values()) {
            same.sort(Comparator.comparingLong(row -> row.markup().revision()));
            for (int i = 0; i + 1 < same.size(); i++) {
                correctedBy.put(same.get(i).markup().id(), same.get(i + 1).markup().id());
            }
        }
        return rows.stream().map(row -> new StoredMarkup(row.markup(), row.createdBy(), row.createdAt(),
                correctedBy.get(row.markup().id()))).toList();
    }

    private static StoredPrice insertPrice(Connection connection, UUID clientId, UUID modelId, NewPrice price,
            String currency, Change change) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_PRICE)) {
            insert.setObject(1, id);
            insert.setObject(2, clientId);
            insert.setObject(3, modelId);
            insert.setString(4, price.unit().code());
            insert.setLong(5, price.longContextOver());
            insert.setLong(6, price.monthlyFrom());
            insert.setString(7, price.tierMode().code());
            insert.setBigDecimal(8, price.unitPrice());
            insert.setString(9, currency);
            insert.setObject(10, utc(price.effectiveFrom()));
            insert.setString(11, change.actor());
            insert.setObject(12, utc(change.at()));
            try (ResultSet revision = insert.executeQuery()) {
                revision.next();
                Price row = new Price(id, clientId, modelId, price.unit(), price.longContextOver(),
                        price.monthlyFrom(), price.tierMode(), price.unitPrice(), currency, price.effectiveFrom(),
                        revision.getLong(1));
                return new StoredPrice(row, price.model(), null, change.actor(), change.at(), null);
            }
        }
    }

    private static ClientRow lockClient(Connection connection, UUID clientId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_CLIENT)) {
            statement.setObject(1, clientId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new PriceBookException(PriceBookError.CLIENT_NOT_FOUND, "client " + clientId
                            + " does not exist");
                }
                return new ClientRow(row.getObject(1, UUID.class), row.getString(2).trim());
            }
        }
    }

    private static PriceBook storedPrices(Connection connection, UUID clientId) throws SQLException {
        PriceBook.Builder book = PriceBook.builder();
        try (PreparedStatement statement = connection.prepareStatement(PRICES)) {
            statement.setObject(1, clientId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    book.clientPrice(readPrice(rows).price());
                }
            }
        }
        return book.build();
    }

    private static StoredPrice readPrice(ResultSet rows) throws SQLException {
        Price price = new Price(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                rows.getObject(3, UUID.class), UsageUnit.ofCode(rows.getString(4)), rows.getLong(5), rows.getLong(6),
                TierMode.ofCode(rows.getString(7)), rows.getBigDecimal(8), rows.getString(9).trim(),
                PriceEntries.instant(rows, 10), rows.getLong(11));
        return new StoredPrice(price, rows.getString(12), null, rows.getString(13), PriceEntries.instant(rows, 14),
                null);
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private record ClientRow(UUID operatorId, String currency) {
    }
}

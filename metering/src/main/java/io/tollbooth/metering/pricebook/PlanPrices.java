package io.tollbooth.metering.pricebook;

import io.tollbooth.metering.ledger.Rerating;
import io.tollbooth.metering.rating.Price;
import io.tollbooth.metering.rating.PriceBook;
import io.tollbooth.metering.rating.TierMode;
import io.tollbooth.metering.rating.UsageUnit;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The prices of named plans ({@code price}), shared by every client on the plan, in the plan's currency. A change
 * is checked against the plan's prices before it, like every price book, and written in one transaction or not at
 * all; then the usage of the plan's clients that waited for a price is rated.
 */
@ApplicationScoped
public class PlanPrices {

    private static final Logger LOG = Logger.getLogger(PlanPrices.class);

    private static final String LOCK_PLAN = "SELECT operator_id, currency FROM price_plan WHERE id = ?"
            + " FOR NO KEY UPDATE";

    private static final String PRICES = "SELECT id, price_plan_id, model_id, token_kind, long_context_over,"
            + " monthly_from, tier_mode, price_per_million, currency, effective_from FROM price"
            + " WHERE price_plan_id = ?";

    private static final String INSERT = "INSERT INTO price (id, price_plan_id, model_id, token_kind,"
            + " long_context_over, monthly_from, tier_mode, price_per_million, currency, effective_from)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Clients the plan bills or will bill: those created on it and those moved to it. */
    private static final String CLIENTS = "SELECT id FROM client WHERE price_plan_id = ?"
            + " UNION SELECT client_id FROM client_plan_change WHERE price_plan_id = ?";

    /** PostgreSQL's unique_violation: the plan already has a price of that key from that instant. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final Rerating rerating;

    public PlanPrices(DataSource dataSource, Rerating rerating) {
        this.dataSource = dataSource;
        this.rerating = rerating;
    }

    /**
     * Adds prices to a plan, in the plan's currency.
     *
     * @return the prices written, in the order given
     * @throws PriceBookException {@link PriceBookError#PLAN_NOT_FOUND}, {@link PriceBookError#MODEL_NOT_FOUND},
     *     {@link PriceBookError#INVALID} (also when the plan already has a price of the same key from the same
     *     instant: plan prices are never replaced) or {@link PriceBookError#UNCONFIRMED_PRICE_CHANGE}; nothing is
     *     written then
     */
    public List<Price> add(UUID planId, List<NewPrice> prices, Change change) throws SQLException {
        List<Price> written;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                written = add(connection, planId, prices, change);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new PriceBookException(PriceBookError.INVALID, "the plan already has one of these prices"
                            + " from the same instant; plan prices are never replaced, add one from a later instant");
                }
                throw e;
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        LOG.infof("plan_prices_added plan=%s prices=%d confirmed=%s actor=%s", planId, written.size(),
                change.confirmed(), change.actor());
        WaitingUsage.rate(() -> rerating.rateWaiting(clientsOf(planId), WaitingUsage.correction(change)),
                "plan=" + planId);
        return written;
    }

    private List<Price> add(Connection connection, UUID planId, List<NewPrice> prices, Change change)
            throws SQLException {
        UUID operatorId;
        String currency;
        try (PreparedStatement lock = connection.prepareStatement(LOCK_PLAN)) {
            lock.setObject(1, planId);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw new PriceBookException(PriceBookError.PLAN_NOT_FOUND, "price plan " + planId
                            + " does not exist");
                }
                operatorId = row.getObject(1, UUID.class);
                currency = row.getString(2).trim();
            }
        }
        Map<String, UUID> models = PriceEntries.models(connection, operatorId, prices);
        PriceBook stored = stored(connection, planId);
        LiteLlmReference reference = LiteLlmReference.load(connection, operatorId, models.values(), currency);
        PriceEntries.check(prices, models, modelId -> stored.plan(planId, modelId), reference, change.confirmed());

        List<Price> written = new ArrayList<>(prices.size());
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (NewPrice price : prices) {
                Price row = new Price(UUID.randomUUID(), planId, models.get(price.model()), price.unit(),
                        price.longContextOver(), price.monthlyFrom(), price.tierMode(), price.unitPrice(), currency,
                        price.effectiveFrom(), 0);
                insert.setObject(1, row.id());
                insert.setObject(2, planId);
                insert.setObject(3, row.modelId());
                insert.setString(4, row.unit().code());
                insert.setLong(5, row.longContextOver());
                insert.setLong(6, row.monthlyFrom());
                insert.setString(7, row.tierMode().code());
                insert.setBigDecimal(8, row.unitPrice());
                insert.setString(9, currency);
                insert.setObject(10, OffsetDateTime.ofInstant(row.effectiveFrom(), ZoneOffset.UTC));
                insert.addBatch();
                written.add(row);
            }
            insert.executeBatch();
        }
        return written;
    }

    private static PriceBook stored(Connection connection, UUID planId) throws SQLException {
        PriceBook.Builder book = PriceBook.builder();
        try (PreparedStatement statement = connection.prepareStatement(PRICES)) {
            statement.setObject(1, planId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    book.plan(new Price(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getObject(3, UUID.class), UsageUnit.ofCode(rows.getString(4)), rows.getLong(5),
                            rows.getLong(6), TierMode.ofCode(rows.getString(7)), rows.getBigDecimal(8),
                            rows.getString(9).trim(), PriceEntries.instant(rows, 10), 0));
                }
            }
        }
        return book.build();
    }

    private Set<UUID> clientsOf(UUID planId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CLIENTS)) {
            statement.setObject(1, planId);
            statement.setObject(2, planId);
            Set<UUID> clients = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    clients.add(rows.getObject(1, UUID.class));
                }
            }
            return clients;
        }
    }
}

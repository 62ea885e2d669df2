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
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The operators' cost prices ({@code cost_price}): what each model costs the operator, in its own currency. Every
 * change is checked against the prices before it and written in one transaction, or not at all.
 */
@ApplicationScoped
public class CostPrices {

    /** Where imported cloud list prices come from; the other source is {@code manual}. */
    public static final String LITELLM = "litellm";

    /** Prices typed in by an operator. */
    public static final String MANUAL = "manual";

    /** Prices derived from a self-hosted node's cost and throughput ({@link SelfHostedCost}). */
    public static final String SELF_HOSTED = "self_hosted";

    private static final Logger LOG = Logger.getLogger(CostPrices.class);

    private static final String LOCK_OPERATOR = "SELECT currency FROM operator WHERE id = ? FOR NO KEY UPDATE";

    private static final String COLUMNS = "SELECT c.id, c.operator_id, c.model_id, c.unit, c.long_context_over,"
            + " c.unit_price, c.currency, c.effective_from, c.revision, m.name, c.source, c.created_by, c.created_at"
            + " FROM cost_price c JOIN model m ON m.id = c.model_id WHERE c.operator_id = ?";

    private static final String INSERT = "INSERT INTO cost_price (id, operator_id, model_id, unit, long_context_over,"
            + " unit_price, currency, effective_from, source, created_by, created_at, basis_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING revision";

    private static final String INSERT_BASIS = "INSERT INTO self_hosted_cost_basis (id, operator_id, model_id, node,"
            + " cost_per_hour, currency, input_tokens_per_second, output_tokens_per_second, effective_from,"
            + " created_by, created_at) SELECT ?, ?, id, ?, ?, ?, ?, ?, ?, ?, ? FROM model"
            + " WHERE operator_id = ? AND name = ?";

    private final DataSource dataSource;
    private final Rerating rerating;

    public CostPrices(DataSource dataSource, Rerating rerating) {
        this.dataSource = dataSource;
        this.rerating = rerating;
    }

    /**
     * Adds cost prices in the operator's currency, then rates the usage of the operator's clients that was waiting
     * for a price and has one now (see {@link Rerating#rateWaiting}).
     *
     * @param source {@link #MANUAL} or {@link #LITELLM}
     * @return the rows written, in the order given
     * @throws PriceBookException when the operator or a model does not exist, the prices contradict themselves or
     *     one is out of line and {@code change} is not confirmed; nothing is written then
     * @throws SQLException when the database fails; nothing is written then
     */
    public List<StoredPrice> add(UUID operatorId, List<NewPrice> prices, String source, Change change)
            throws SQLException {
        if (SELF_HOSTED.equals(source)) {
            throw new PriceBookException(PriceBookError.INVALID, "self-hosted costs are derived from their basis;"
                    + " add them with addSelfHosted");
        }
        return add(operatorId, prices, source, null, change);
    }

    /**
     * Derives a self-hosted model's input and output cost per 1M tokens from its node's cost and throughput, and
     * adds them, with the basis they came from, as {@link #SELF_HOSTED} prices; then rates waiting usage as
     * {@link #add} does.
     *
     * @throws PriceBookException as {@link #add}; nothing is written then
     */
    public List<StoredPrice> addSelfHosted(UUID operatorId, SelfHostedCost basis, Change change) throws SQLException {
        return add(operatorId, List.of(
                NewPrice.flat(basis.model(), UsageUnit.INPUT, basis.inputPerMillion(), basis.effectiveFrom()),
                NewPrice.flat(basis.model(), UsageUnit.OUTPUT, basis.outputPerMillion(), basis.effectiveFrom())),
                SELF_HOSTED, basis, change);
    }

    private List<StoredPrice> add(UUID operatorId, List<NewPrice> prices, String source, SelfHostedCost basis,
            Change change) throws SQLException {
        for (NewPrice price : prices) {
            if (price.monthlyFrom() != 0) {
                throw new PriceBookException(PriceBookError.INVALID, price.key() + ": cost prices have no monthly"
                        + " bands");
            }
        }
        List<StoredPrice> written;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                written = add(connection, operatorId, prices, source, basis, change);
                connection.commit();
                LOG.infof("cost_prices_added operator=%s prices=%d source=%s confirmed=%s actor=%s", operatorId,
                        written.size(), source, change.confirmed(), change.actor());
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        WaitingUsage.rate(() -> rerating.rateWaitingOfOperator(operatorId, WaitingUsage.correction(change)),
                "operator=" + operatorId);
        return written;
    }

    /**
     * Adds cost prices from a LiteLLM price table, in USD, as {@link #LITELLM} prices.
     *
     * @param entries for each model of the operator's catalogue, the name of its entry in the table
     * @param effectiveFrom when the imported prices apply from
     * @return the rows written
     * @throws PriceBookException {@link PriceBookError#MODEL_NOT_FOUND} when the table lacks an entry, and as
     *     {@link #add} otherwise; nothing is written then
     */
    public List<StoredPrice> importLiteLlm(UUID operatorId, LiteLlmPriceTable table, Map<String, String> entries,
            Instant effectiveFrom, Change change) throws SQLException {
        List<NewPrice> prices = new ArrayList<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
            prices.addAll(table.prices(entry.getValue(), entry.getKey(), effectiveFrom).orElseThrow(() ->
                    new PriceBookException(PriceBookError.MODEL_NOT_FOUND, "the LiteLLM table has no entry '"
                            + entry.getValue() + "' for " + entry.getKey())));
        }
        return add(operatorId, prices, LITELLM, change);
    }

    /** Every cost price of the operator, current, past, scheduled and corrected, by model, unit and time. */
    public List<StoredPrice> list(UUID operatorId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(COLUMNS
                        + " ORDER BY m.name, c.unit, c.long_context_over, c.effective_from, c.revision")) {
            statement.setObject(1, operatorId);
            List<StoredPrice> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(read(result));
                }
            }
            return PriceEntries.withCorrections(rows);
        }
    }

    private List<StoredPrice> add(Connection connection, UUID operatorId, List<NewPrice> prices, String source,
            SelfHostedCost basis, Change change) throws SQLException {
        String currency = lockOperator(connection, operatorId);
        if (LITELLM.equals(source) && !currency.equals(LiteLlmPriceTable.CURRENCY)) {
            throw new PriceBookException(PriceBookError.INVALID, "LiteLLM prices are in " + LiteLlmPriceTable.CURRENCY
                    + " and the operator's costs in " + currency + "; there are no exchange rates");
        }
        Map<String, UUID> models = PriceEntries.models(connection, operatorId, prices);
        PriceBook stored = stored(connection, operatorId);
        // Typed-in costs are held against the imported list prices; imports and derived costs are not typed.
        LiteLlmReference reference = MANUAL.equals(source)
                ? LiteLlmReference.load(connection, operatorId, models.values(), currency) : LiteLlmReference.NONE;
        PriceEntries.check(prices, models, modelId -> stored.costs(operatorId, modelId), reference,
                change.confirmed());
        UUID basisId = basis == null ? null : insertBasis(connection, operatorId, basis, currency, change);

        List<StoredPrice> written = new ArrayList<>(prices.size());
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (NewPrice price : prices) {
                UUID id = UUID.randomUUID();
                UUID modelId = models.get(price.model());
                insert.setObject(1, id);
                insert.setObject(2, operatorId);
                insert.setObject(3, modelId);
                insert.setString(4, price.unit().code());
                insert.setLong(5, price.longContextOver());
                insert.setBigDecimal(6, price.unitPrice());
                insert.setString(7, currency);
                insert.setObject(8, OffsetDateTime.ofInstant(price.effectiveFrom(), ZoneOffset.UTC));
                insert.setString(9, source);
                insert.setString(10, change.actor());
                insert.setObject(11, OffsetDateTime.ofInstant(change.at(), ZoneOffset.UTC));
                insert.setObject(12, basisId, Types.OTHER);
                try (ResultSet revision = insert.executeQuery()) {
                    revision.next();
                    Price row = new Price(id, operatorId, modelId, price.unit(), price.longContextOver(), 0,
                            TierMode.GRADUATED, price.unitPrice(), currency, price.effectiveFrom(), revision.getLong(1));
                    written.add(new StoredPrice(row, price.model(), source, change.actor(), change.at(), null));
                }
            }
        }
        return written;
    }

    private static UUID insertBasis(Connection connection, UUID operatorId, SelfHostedCost basis, String currency,
            Change change) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_BASIS)) {
            insert.setObject(1, id);
            insert.setObject(2, operatorId);
            insert.setString(3, basis.node());
            insert.setBigDecimal(4, basis.costPerHour());
            insert.setString(5, currency);
            insert.setBigDecimal(6, basis.inputTokensPerSecond());
            insert.setBigDecimal(7, basis.outputTokensPerSecond());
            insert.setObject(8, OffsetDateTime.ofInstant(basis.effectiveFrom(), ZoneOffset.UTC));
            insert.setString(9, change.actor());
            insert.setObject(10, OffsetDateTime.ofInstant(change.at(), ZoneOffset.UTC));
            insert.setObject(11, operatorId);
            insert.setString(12, basis.model());
            insert.executeUpdate();
        }
        return id;
    }

    private static String lockOperator(Connection connection, UUID operatorId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_OPERATOR)) {
            statement.setObject(1, operatorId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new PriceBookException(PriceBookError.OPERATOR_NOT_FOUND, "operator " + operatorId
                            + " does not exist");
                }
                return row.getString(1).trim();
            }
        }
    }

    private static PriceBook stored(Connection connection, UUID operatorId) throws SQLException {
        PriceBook.Builder book = PriceBook.builder();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            statement.setObject(1, operatorId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    book.cost(read(rows).price());
                }
            }
        }
        return book.build();
    }

    private static StoredPrice read(ResultSet rows) throws SQLException {
        Price price = new Price(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                rows.getObject(3, UUID.class), UsageUnit.ofCode(rows.getString(4)), rows.getLong(5), 0,
                TierMode.GRADUATED, rows.getBigDecimal(6), rows.getString(7).trim(), PriceEntries.instant(rows, 8),
                rows.getLong(9));
        return new StoredPrice(price, rows.getString(10), rows.getString(11), rows.getString(12),
                PriceEntries.instant(rows, 13), null);
    }
}

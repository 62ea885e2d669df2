package io.tollbooth.metering.pricebook;

import io.tollbooth.metering.rating.UsageUnit;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * LiteLLM's list prices that an operator imported into its cost book (USD per 1M tokens): the scale that a new USD
 * price of the same model, unit and long-context tier is checked against, whichever book it goes into.
 */
final class LiteLlmReference {

    /** No list prices: for books in another currency, as there are no exchange rates. */
    static final LiteLlmReference NONE = new LiteLlmReference(Map.of());

    private static final String ROWS = "SELECT model_id, unit, long_context_over, unit_price, effective_from, revision"
            + " FROM cost_price WHERE operator_id = ? AND source = '" + CostPrices.LITELLM + "' AND model_id = ANY (?)";

    private final Map<Key, NavigableMap<Instant, Row>> histories;

    private LiteLlmReference(Map<Key, NavigableMap<Instant, Row>> histories) {
        this.histories = histories;
    }

    /**
     * The operator's imported list prices of the models, or {@link #NONE} when the book's currency is not LiteLLM's.
     */
    static LiteLlmReference load(Connection connection, UUID operatorId, Collection<UUID> modelIds,
            String bookCurrency) throws SQLException {
        if (!LiteLlmPriceTable.CURRENCY.equals(bookCurrency) || modelIds.isEmpty()) {
            return NONE;
        }
        Map<Key, NavigableMap<Instant, Row>> histories = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(ROWS)) {
            statement.setObject(1, operatorId);
            statement.setArray(2, connection.createArrayOf("uuid", modelIds.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Key key = new Key(rows.getObject(1, UUID.class), UsageUnit.ofCode(rows.getString(2)),
                            rows.getLong(3));
                    Row row = new Row(rows.getBigDecimal(4), PriceEntries.instant(rows, 5), rows.getLong(6));
                    // A later revision for the same instant corrects the earlier one.
                    histories.computeIfAbsent(key, k -> new TreeMap<>())
                            .merge(row.from(), row, (a, b) -> a.revision() >= b.revision() ? a : b);
                }
            }
        }
        return new LiteLlmReference(histories);
    }

    /**
     * The list price in force at {@code at}, or the first one after it when the import came later; empty when the
     * operator imported none for this model, unit and tier.
     */
    Optional<ListPrice> at(UUID modelId, UsageUnit unit, long longContextOver, Instant at) {
        NavigableMap<Instant, Row> history = histories.get(new Key(modelId, unit, longContextOver));
        if (history == null) {
            return Optional.empty();
        }
        Map.Entry<Instant, Row> entry = history.floorEntry(at) != null ? history.floorEntry(at)
                : history.ceilingEntry(at);
        return Optional.of(new ListPrice(entry.getValue().unitPrice(), entry.getKey()));
    }

    /** A list price per 1M (or per request or second) and when it took effect. */
    record ListPrice(BigDecimal unitPrice, Instant from) {
    }

    private record Key(UUID modelId, UsageUnit unit, long longContextOver) {
    }

    private record Row(BigDecimal unitPrice, Instant from, long revision) {
    }
}

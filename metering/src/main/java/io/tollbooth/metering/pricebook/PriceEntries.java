package io.tollbooth.metering.pricebook;

import io.tollbooth.metering.rating.Price;
import io.tollbooth.metering.rating.PriceList;
import io.tollbooth.metering.rating.TierMode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What adding prices to any book has in common: finding the models, checking the prices and listing corrections. */
final class PriceEntries {

    private static final String MODELS = "SELECT name, id FROM model WHERE operator_id = ? AND name = ANY (?)";

    private PriceEntries() {
    }

    /**
     * The ids of the named models of the operator.
     *
     * @throws PriceBookException {@link PriceBookError#MODEL_NOT_FOUND} naming every model the operator lacks
     */
    static Map<String, UUID> models(Connection connection, UUID operatorId, Collection<NewPrice> prices)
            throws SQLException {
        Set<String> names = prices.stream().map(NewPrice::model).collect(Collectors.toCollection(TreeSet::new));
        Map<String, UUID> models = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(MODELS)) {
            statement.setObject(1, operatorId);
            statement.setArray(2, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    models.put(rows.getString(1), rows.getObject(2, UUID.class));
                }
            }
        }
        names.removeAll(models.keySet());
        if (!names.isEmpty()) {
            throw new PriceBookException(PriceBookError.MODEL_NOT_FOUND, "the operator has no model named "
                    + names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", ")));
        }
        return models;
    }

    /**
     * Checks new prices against those stored (and those earlier in the same change): no key twice at one instant,
     * one tier mode per schedule, and each price in line with the one before it and with LiteLLM's list price unless
     * the change is confirmed.
     *
     * @param stored the stored prices of a model, by model id
     * @param reference LiteLLM's list prices to compare with; {@link LiteLlmReference#NONE} where they do not apply
     * @throws PriceBookException {@link PriceBookError#INVALID} or {@link PriceBookError#UNCONFIRMED_PRICE_CHANGE}
     */
    static void check(List<NewPrice> prices, Map<String, UUID> models, Function<UUID, PriceList> stored,
            LiteLlmReference reference, boolean confirmed) {
        refuseRepeats(prices);
        refuseMixedModes(prices);
        List<OutOfLinePrice> outOfLine = new ArrayList<>();
        List<NewPrice> inTimeOrder = prices.stream().sorted(Comparator.comparing(NewPrice::effectiveFrom)).toList();
        Map<String, NewPrice> latestNew = new HashMap<>();
        for (NewPrice price : inTimeOrder) {
            PriceList history = stored.apply(models.get(price.model()));
            Optional<Previous> previous = previous(price, history, latestNew.get(price.key()));
            previous.flatMap(before -> outOfLine(price, before)).ifPresent(outOfLine::add);
            reference.at(models.get(price.model()), price.unit(), price.longContextOver(), price.effectiveFrom())
                    // In the cost book the list price may be the previous price itself: one complaint is enough.
                    .filter(list -> previous.isEmpty() || !previous.get().from().equals(list.from())
                            || previous.get().unitPrice().compareTo(list.unitPrice()) != 0)
                    .flatMap(list -> outOfLineWithList(price, list))
                    .ifPresent(outOfLine::add);
            latestNew.put(price.key(), price);
        }
        if (!outOfLine.isEmpty() && !confirmed) {
            throw new PriceBookException(PriceBookError.UNCONFIRMED_PRICE_CHANGE, outOfLine.stream()
                    .map(OutOfLinePrice::detail)
                    .collect(Collectors.joining("; ")) + ". Nothing was saved; send \"confirm\": true to save"
                    + " these prices as they are.", outOfLine);
        }
    }

    /** Marks each row that a later row of the same key and instant corrects. */
    static List<StoredPrice> withCorrections(List<StoredPrice> rows) {
        Map<String, List<StoredPrice>> byInstant = new HashMap<>();
        for (StoredPrice row : rows) {
            Price p = row.price();
            byInstant.computeIfAbsent(p.ownerId() + " " + p.modelId() + " " + p.unit() + " " + p.longContextOver()
                    + " " + p.monthlyFrom() + " " + p.effectiveFrom(), key -> new ArrayList<>()).add(row);
        }
        Map<UUID, UUID> correctedBy = new HashMap<>();
        for (List<StoredPrice> same : byInstant.values()) {
            same.sort(Comparator.comparingLong(row -> row.price().revision()));
            for (int i = 0; i + 1 < same.size(); i++) {
                correctedBy.put(same.get(i).price().id(), same.get(i + 1).price().id());
            }
        }
        return rows.stream().map(row -> new StoredPrice(row.price(), row.model(), row.source(), row.createdBy(),
                row.createdAt(), correctedBy.get(row.price().id()))).toList();
    }

    static Instant instant(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static Optional<Previous> previous(NewPrice price, PriceList history, NewPrice latestNew) {
        Optional<Price> stored = history.previous(price.unit(), price.longContextOver(), price.monthlyFrom(),
                price.effectiveFrom());
        Optional<Previous> fromBook = stored.map(p -> new Previous(p.unitPrice(), p.effectiveFrom()));
        if (latestNew == null || !latestNew.effectiveFrom().isBefore(price.effectiveFrom())) {
            return fromBook;
        }
        if (fromBook.isPresent() && fromBook.get().from().isAfter(latestNew.effectiveFrom())) {
            return fromBook;
        }
        return Optional.of(new Previous(latestNew.unitPrice(), latestNew.effectiveFrom()));
    }

    private static Optional<OutOfLinePrice> outOfLine(NewPrice price, Previous previous) {
        return PriceChangeCheck.outOfLine(previous.unitPrice(), price.unitPrice()).map(problem -> new OutOfLinePrice(
                price.model(), price.unit().code(), price.unitPrice(), OutOfLinePrice.PREVIOUS, previous.unitPrice(),
                previous.from(), price.key() + " from " + price.effectiveFrom() + ": " + problem + " (in force from "
                        + previous.from() + ")"));
    }

    /** A free price (0) is a decision, not a typo, so only priced units are held against the list price. */
    private static Optional<OutOfLinePrice> outOfLineWithList(NewPrice price, LiteLlmReference.ListPrice list) {
        if (price.unitPrice().signum() == 0) {
            return Optional.empty();
        }
        return PriceChangeCheck.outOfLine(list.unitPrice(), price.unitPrice(), "LiteLLM's list price")
                .map(problem -> new OutOfLinePrice(price.model(), price.unit().code(), price.unitPrice(),
                        OutOfLinePrice.LITELLM, list.unitPrice(), list.from(), price.key() + " from "
                        + price.effectiveFrom() + ": " + problem + " (imported, in force from " + list.from() + ")"));
    }

    private static void refuseRepeats(List<NewPrice> prices) {
        Set<String> seen = new HashSet<>();
        for (NewPrice price : prices) {
            if (!seen.add(price.key() + " " + price.effectiveFrom())) {
                throw new PriceBookException(PriceBookError.INVALID, price.key() + " from " + price.effectiveFrom()
                        + " is listed twice");
            }
        }
    }

    private static void refuseMixedModes(List<NewPrice> prices) {
        Map<String, TierMode> modes = new HashMap<>();
        for (NewPrice price : prices) {
            String schedule = price.model() + " " + price.unit().code() + " " + price.longContextOver() + " "
                    + price.effectiveFrom();
            TierMode first = modes.putIfAbsent(schedule, price.tierMode());
            if (first != null && first != price.tierMode()) {
                throw new PriceBookException(PriceBookError.INVALID, "the bands of " + price.model() + " "
                        + price.unit().code() + " from " + price.effectiveFrom() + " mix graduated and volume");
            }
        }
    }

    private record Previous(BigDecimal unitPrice, Instant from) {
    }
}

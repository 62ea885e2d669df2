package io.tollbooth.metering.rating;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The whole price history of one model in one book (the operator's cost, a plan or a client's own prices), by unit,
 * long-context tier and monthly band.
 */
public final class PriceList {

    static final PriceList EMPTY = new PriceList();

    private final Map<Key, NavigableMap<Instant, Price>> histories = new HashMap<>();

    void add(Price price) {
        histories.computeIfAbsent(new Key(price.unit(), price.longContextOver(), price.monthlyFrom()),
                key -> new TreeMap<>())
                .merge(price.effectiveFrom(), price, (a, b) -> a.revision() >= b.revision() ? a : b);
    }

    /** Whether any price of the model had started by {@code at}. */
    public boolean pricedAt(Instant at) {
        return histories.values().stream().anyMatch(history -> history.floorKey(at) != null);
    }

    /**
     * The long-context tier a request with {@code promptTokens} falls in at {@code at}: the highest threshold the
     * prompt is above, or 0 (the base price). One tier prices the whole request.
     */
    public long tierAt(long promptTokens, Instant at) {
        long tier = 0;
        for (Map.Entry<Key, NavigableMap<Instant, Price>> history : histories.entrySet()) {
            long over = history.getKey().longContextOver();
            if (over > tier && promptTokens > over && history.getValue().floorKey(at) != null) {
                tier = over;
            }
        }
        return tier;
    }

    /**
     * The price of {@code unit} in {@code tier} at {@code at}, with its monthly bands; empty when the unit has no
     * price in that tier then (or its bands do not start at 0).
     */
    public Optional<Schedule> schedule(UsageUnit unit, long tier, Instant at) {
        List<Price> bands = new ArrayList<>(1);
        for (Map.Entry<Key, NavigableMap<Instant, Price>> history : histories.entrySet()) {
            Key key = history.getKey();
            if (key.unit() == unit && key.longContextOver() == tier) {
                Map.Entry<Instant, Price> valid = history.getValue().floorEntry(at);
                if (valid != null) {
                    bands.add(valid.getValue());
                }
            }
        }
        bands.sort(Comparator.comparingLong(Price::monthlyFrom));
        if (bands.isEmpty() || bands.get(0).monthlyFrom() != 0) {
            return Optional.empty();
        }
        return Optional.of(new Schedule(bands));
    }

    /** The latest price of the same unit, tier and band that started strictly before {@code at}. */
    public Optional<Price> previous(UsageUnit unit, long tier, long monthlyFrom, Instant at) {
        NavigableMap<Instant, Price> history = histories.get(new Key(unit, tier, monthlyFrom));
        return history == null ? Optional.empty() : Optional.ofNullable(history.lowerEntry(at)).map(Map.Entry::getValue);
    }

    private record Key(UsageUnit unit, long longContextOver, long monthlyFrom) {
    }
}

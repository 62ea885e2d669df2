package io.tollbooth.metering.rating;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The clients' monthly quantities while a batch is rated: what the month held before the batch, plus what the
 * batch has rated so far. Records what the batch added (to be stored) and the months in which a volume band
 * changed (whose earlier rows must move to the new band).
 */
public final class MonthlyQuantities {

    private final Map<MonthlyKey, Long> before;
    private final Map<MonthlyKey, Long> added = new HashMap<>();
    private final Set<MonthlyKey> volumeBandChanged = new HashSet<>();

    private MonthlyQuantities(Map<MonthlyKey, Long> before) {
        this.before = Map.copyOf(before);
    }

    /** Months as stored before the batch; keys not given start at 0. */
    public static MonthlyQuantities startingFrom(Map<MonthlyKey, Long> stored) {
        return new MonthlyQuantities(stored);
    }

    /** Every month starts empty. */
    public static MonthlyQuantities empty() {
        return new MonthlyQuantities(Map.of());
    }

    /** The month's quantity so far. */
    public long current(MonthlyKey key) {
        return before.getOrDefault(key, 0L) + added.getOrDefault(key, 0L);
    }

    void add(MonthlyKey key, long quantity) {
        added.merge(key, quantity, Long::sum);
    }

    void volumeBandChanged(MonthlyKey key) {
        volumeBandChanged.add(key);
    }

    /** What the batch added to each month. */
    public Map<MonthlyKey, Long> added() {
        return Map.copyOf(added);
    }

    /** The months whose volume band the batch moved, after units of the month had been rated at the old one. */
    public Set<MonthlyKey> volumeBandChanged() {
        return Set.copyOf(volumeBandChanged);
    }
}

package io.tollbooth.metering.rating;

import java.util.ArrayList;
import java.util.List;

/**
 * The price of one unit of one model at one instant, as one or more monthly bands. A single band is a flat price.
 * Band {@code i} covers the units after the first {@code bands[i].monthlyFrom()} of the month up to where the next
 * band starts.
 *
 * @param bands the bands in order of {@link Price#monthlyFrom()}, the first starting at 0
 */
public record Schedule(List<Price> bands) {

    public Schedule {
        bands = List.copyOf(bands);
        if (bands.isEmpty() || bands.get(0).monthlyFrom() != 0) {
            throw new IllegalArgumentException("a schedule starts with a band from 0");
        }
    }

    /** A flat price. */
    public static Schedule flat(Price price) {
        return new Schedule(List.of(price));
    }

    /** How the bands price the month; the first band's mode speaks for the schedule. */
    public TierMode mode() {
        return bands.get(0).tierMode();
    }

    /** Whether the price depends on the month's quantity. */
    public boolean banded() {
        return bands.size() > 1;
    }

    /**
     * Splits {@code quantity} new units onto bands, given {@code before} units earlier in the month.
     * {@link TierMode#GRADUATED} gives each band the units that fall in it; {@link TierMode#VOLUME} puts them all in
     * the band the month's new total reaches.
     */
    public List<Allocation> allocate(long before, long quantity) {
        if (mode() == TierMode.VOLUME || !banded()) {
            return List.of(new Allocation(bandFor(before + quantity), quantity));
        }
        List<Allocation> allocations = new ArrayList<>(2);
        long after = before + quantity;
        for (int i = 0; i < bands.size(); i++) {
            long from = bands.get(i).monthlyFrom();
            long to = i + 1 < bands.size() ? bands.get(i + 1).monthlyFrom() : Long.MAX_VALUE;
            long inBand = Math.min(after, to) - Math.max(before, from);
            if (inBand > 0) {
                allocations.add(new Allocation(bands.get(i), inBand));
            }
        }
        return allocations;
    }

    /** The band of the {@code total}-th unit of the month: the last band that starts before it. */
    public Price bandFor(long total) {
        Price band = bands.get(0);
        for (Price candidate : bands) {
            if (candidate.monthlyFrom() < total) {
                band = candidate;
            }
        }
        return band;
    }

    /**
     * Units priced in one band.
     *
     * @param band the band's price row
     * @param quantity units in it, above zero
     */
    public record Allocation(Price band, long quantity) {
    }
}

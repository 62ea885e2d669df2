package io.tollbooth.metering.rating;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Works out the exact amounts of a rated event: each unit at its price, monthly bands priced from the client's
 * month so far, markups applied to the cost, and the cost beside every charge.
 */
public final class RatedLines {

    private RatedLines() {
    }

    /**
     * The lines of a {@link RatingStatus#RATED} event that happened at {@code at}, adding its quantities to
     * {@code month}; empty for any other rating. Events must be given in the order their units count in the month.
     */
    public static List<RatedLine> of(Rating rating, ClientPlan client, Instant at, MonthlyQuantities month) {
        if (rating.status() != RatingStatus.RATED) {
            return List.of();
        }
        List<RatedLine> lines = new ArrayList<>(rating.units().size());
        for (PricedUnit unit : rating.units()) {
            MonthlyKey key = new MonthlyKey(client.clientId(), rating.modelId(), unit.unit(), client.monthOf(at));
            long before = month.current(key);
            month.add(key, unit.quantity());
            if (unit.charge() == null) {
                lines.add(markupLine(unit, rating.markup(), client));
            } else {
                lines.addAll(scheduleLines(unit, rating.source(), before, client));
                noteVolumeBandChange(unit.charge(), key, before, unit.quantity(), month);
            }
        }
        return lines;
    }

    private static RatedLine markupLine(PricedUnit unit, Markup markup, ClientPlan client) {
        BigDecimal unitPrice = markup.applyTo(unit.cost().unitPrice());
        return new RatedLine(unit.unit(), unit.quantity(), 0, ChargeSource.MARKUP, null, markup, unitPrice,
                unit.unit().amount(unit.quantity(), unitPrice), client.currency(), unit.cost(),
                unit.unit().amount(unit.quantity(), unit.cost().unitPrice()));
    }

    private static List<RatedLine> scheduleLines(PricedUnit unit, ChargeSource source, long before,
            ClientPlan client) {
        List<RatedLine> lines = new ArrayList<>(1);
        for (Schedule.Allocation allocation : unit.charge().allocate(before, unit.quantity())) {
            Price band = allocation.band();
            BigDecimal cost = unit.cost() == null ? null
                    : unit.unit().amount(allocation.quantity(), unit.cost().unitPrice());
            lines.add(new RatedLine(unit.unit(), allocation.quantity(), band.monthlyFrom(), source, band, null,
                    band.unitPrice(), unit.unit().amount(allocation.quantity(), band.unitPrice()), client.currency(),
                    unit.cost(), cost));
        }
        return lines;
    }

    private static void noteVolumeBandChange(Schedule charge, MonthlyKey key, long before, long quantity,
            MonthlyQuantities month) {
        if (charge.mode() == TierMode.VOLUME && charge.banded() && before > 0
                && !charge.bandFor(before).equals(charge.bandFor(before + quantity))) {
            month.volumeBandChanged(key);
        }
    }
}

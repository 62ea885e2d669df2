package io.tollbooth.metering.ledger;

import io.tollbooth.metering.rating.ChargeSource;
import io.tollbooth.metering.rating.ClientPlan;
import io.tollbooth.metering.rating.MonthlyKey;
import io.tollbooth.metering.rating.MonthlyQuantities;
import io.tollbooth.metering.rating.PriceBook;
import io.tollbooth.metering.rating.PricedUnit;
import io.tollbooth.metering.rating.RatedLine;
import io.tollbooth.metering.rating.RatedLines;
import io.tollbooth.metering.rating.Rating;
import io.tollbooth.metering.rating.RatingStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Writes the rated rows of events, in the caller's transaction: works out the amounts in event-time order against
 * the clients' months so far, marks rows of already invoiced months as late, adds to the monthly counters and moves
 * a month to a new volume band when it reaches one. A handful of statements per batch, none per event; the rows
 * themselves go in with one {@code COPY}.
 */
final class RatedRows {

    private static final String COPY = "COPY rated_usage (usage_event_id, client_id, model_id, token_kind, quantity,"
            + " band_from, charge_source, price_id, client_price_id, client_markup_id, price_per_million, amount,"
            + " currency, cost_price_id, cost_unit_price, cost_amount, cost_currency, occurred_at, late_of_invoice_id)"
            + " FROM STDIN";

    /** Event times first, so that monthly bands fill up in the order the usage happened. */
    private static final Comparator<Rated> TIME_ORDER = Comparator.comparing(Rated::occurredAt)
            .thenComparingLong(Rated::eventRowId);

    private RatedRows() {
    }

    /**
     * An event to write rated rows for.
     *
     * @param eventRowId {@code usage_event.id}
     * @param client the client it is billed to
     * @param occurredAt the event's time
     * @param rating its rating; events not {@link RatingStatus#RATED} get no rows
     * @param hour the hour of {@code usage_hourly} its amounts count in
     */
    record Rated(long eventRowId, ClientPlan client, Instant occurredAt, Rating rating, HourlyUsage.Bucket hour) {
    }

    /**
     * One rated row to insert.
     *
     * @param lateOf the issued invoice of the row's month, if the month was invoiced before the row was rated
     */
    record Row(Rated event, RatedLine line, UUID lateOf) {
    }

    /**
     * Rates and writes the rows of events new to the ledger (or newly priced), counting them into the clients'
     * months and their amounts into {@code hours} (which the caller writes).
     *
     * @return the rows written
     */
    static List<Row> write(Connection connection, PriceBook prices, List<Rated> events, HourlyUsage hours)
            throws SQLException {
        List<Rated> rated = events.stream()
                .filter(event -> event.rating().status() == RatingStatus.RATED)
                .sorted(TIME_ORDER)
                .toList();
        if (rated.isEmpty()) {
            return List.of();
        }
        InvoicedPeriods invoiced = InvoicedPeriods.load(connection, clientIds(rated), rated.get(0).occurredAt());
        MonthlyQuantities months = MonthlyQuantities.startingFrom(MonthlyCounters.lock(connection, bandedKeys(rated)));

        List<Row> rows = new ArrayList<>(rated.size() * 3);
        for (Rated event : rated) {
            Optional<UUID> late = invoiced.invoiceCovering(event.client().clientId(), event.occurredAt());
            for (RatedLine line : RatedLines.of(event.rating(), event.client(), event.occurredAt(), months)) {
                rows.add(new Row(event, line, late.orElse(null)));
                hours.money(event.hour(), line.amount(), line.costAmount());
            }
        }
        insert(connection, rows);
        MonthlyCounters.add(connection, months.added());
        moveToNewVolumeBands(connection, prices, months, invoiced, rated, hours);
        return rows;
    }

    /** Inserts rated rows as they are, with one {@code COPY}. */
    static void insert(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        CopyRows copy = new CopyRows();
        for (Row row : rows) {
            add(copy, row);
            copy.endRow();
        }
        copy.copy(connection, COPY);
    }

    /** The counters that monthly bands are priced from: months of units charged from a banded schedule. */
    static Set<MonthlyKey> bandedKeys(List<Rated> events) {
        Set<MonthlyKey> keys = new HashSet<>();
        for (Rated event : events) {
            if (!event.rating().banded()) {
                continue;
            }
            for (PricedUnit unit : event.rating().units()) {
                if (unit.charge() != null && unit.charge().banded()) {
                    keys.add(new MonthlyKey(event.client().clientId(), event.rating().modelId(), unit.unit(),
                            event.client().monthOf(event.occurredAt())));
                }
            }
        }
        return keys;
    }

    private static void moveToNewVolumeBands(Connection connection, PriceBook prices, MonthlyQuantities months,
            InvoicedPeriods invoiced, List<Rated> rated, HourlyUsage hours) throws SQLException {
        for (MonthlyKey key : months.volumeBandChanged()) {
            ClientPlan client = rated.stream().map(Rated::client)
                    .filter(candidate -> candidate.clientId().equals(key.clientId()))
                    .findFirst().orElseThrow();
            // Rows on an issued invoice keep their band; the new band reaches the rest of the month.
            VolumeBands.moveMonth(connection, prices, client, key, months.current(key),
                    at -> invoiced.invoiceCovering(key.clientId(), at).isEmpty(), hours);
        }
    }

    private static Set<UUID> clientIds(List<Rated> events) {
        Set<UUID> ids = new HashSet<>();
        events.forEach(event -> ids.add(event.client().clientId()));
        return ids;
    }

    private static void add(CopyRows columns, Row row) {
        RatedLine line = row.line();
        Rated event = row.event();
        UUID chargePrice = line.chargePrice() == null ? null : line.chargePrice().id();
        columns.add(event.eventRowId());
        columns.add(event.client().clientId());
        columns.add(event.rating().modelId());
        columns.add(line.unit().code());
        columns.add(line.quantity());
        columns.add(line.bandFrom());
        columns.add(line.source().code());
        columns.add(line.source() == ChargeSource.PLAN ? chargePrice : null);
        columns.add(line.source() == ChargeSource.CLIENT ? chargePrice : null);
        columns.add(line.markup() == null ? null : line.markup().id());
        columns.add(line.unitPrice());
        columns.add(line.amount());
        columns.add(line.currency());
        columns.add(line.cost() == null ? null : line.cost().id());
        columns.add(line.cost() == null ? null : line.cost().unitPrice());
        columns.add(line.costAmount());
        columns.add(line.cost() == null ? null : line.cost().currency());
        columns.add(event.occurredAt());
        columns.add(row.lateOf());
    }
}

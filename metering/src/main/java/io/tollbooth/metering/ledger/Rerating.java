package io.tollbooth.metering.ledger;

import io.tollbooth.metering.rating.ClientPlan;
import io.tollbooth.metering.rating.MonthlyKey;
import io.tollbooth.metering.rating.MonthlyQuantities;
import io.tollbooth.metering.rating.PriceBook;
import io.tollbooth.metering.rating.PriceBookLoader;
import io.tollbooth.metering.rating.RatedLine;
import io.tollbooth.metering.rating.RatedLines;
import io.tollbooth.metering.rating.Rating;
import io.tollbooth.metering.rating.RatingStatus;
import io.tollbooth.metering.rating.UsageRater;
import io.tollbooth.metering.rating.UsageUnit;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Rates events already in the ledger again, with the prices in the book now: events stored {@code UNPRICED} once a
 * price for them exists, and a client's open period after a price was corrected. The amounts of a period that is
 * on an issued invoice are never changed here.
 *
 * <p>Every run that changes anything writes one {@code rating_audit} row per client: who, when, why, and the
 * events, charge and cost before and after.
 */
@ApplicationScoped
public class Rerating {

    private static final Logger LOG = Logger.getLogger(Rerating.class);

    /** Waiting events rated per transaction. */
    static final int CHUNK = 1_000;

    private static final String EVENT_COLUMNS = "SELECT id, client_id, occurred_at, payload::text, rating_status"
            + " FROM usage_event";

    /** The next waiting events after a position, locked so that two runs never rate one event twice. */
    private static final String WAITING = EVENT_COLUMNS + " WHERE client_id = ANY (?) AND rating_status = 'UNPRICED'"
            + " AND (occurred_at, id) > (?, ?) ORDER BY occurred_at, id LIMIT " + CHUNK + " FOR UPDATE";

    private static final String IN_PERIOD = EVENT_COLUMNS + " WHERE client_id = ? AND occurred_at >= ?"
            + " AND occurred_at < ? AND rating_status IN ('RATED', 'UNPRICED') ORDER BY occurred_at, id FOR UPDATE";

    private static final String OPERATOR_CLIENTS = "SELECT id FROM client WHERE operator_id = ?";

    private static final String OLD_ROWS = "SELECT usage_event_id, model_id, token_kind, occurred_at, quantity,"
            + " amount, cost_amount FROM rated_usage WHERE usage_event_id = ANY (?)";

    private static final String DELETE_ROWS = "DELETE FROM rated_usage WHERE usage_event_id = ANY (?)";

    private static final String SET_STATUS = "UPDATE usage_event SET rating_status = ?, unpriced_reason = ?"
            + " WHERE id = ?";

    private static final String AUDIT = "INSERT INTO rating_audit (client_id, kind, period_start, period_end, actor,"
            + " reason, occurred_at, events, unpriced_before, unpriced_after, amount_before, amount_after,"
            + " cost_before, cost_after, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

    private static final String INSERT_ADJUSTMENT = "INSERT INTO rating_adjustment (rating_audit_id, client_id,"
            + " invoice_id, events, amount_before, amount_after, difference, currency, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String UNSETTLED = "SELECT client_id, invoice_id, events, amount_before, amount_after,"
            + " difference, currency, created_at FROM rating_adjustment WHERE client_id = ? AND settled_at IS NULL"
            + " ORDER BY id";

    private static final String UNPRICED = "SELECT client_id, requested_model, count(*), min(occurred_at),"
            + " max(occurred_at), (array_agg(unpriced_reason ORDER BY occurred_at DESC, id DESC))[1]"
            + " FROM usage_event WHERE client_id = ANY (?) AND rating_status = 'UNPRICED'"
            + " GROUP BY client_id, requested_model ORDER BY client_id, requested_model";

    private static final String AUDIT_ROWS = "SELECT client_id, kind, period_start, period_end, actor, reason,"
            + " occurred_at, events, unpriced_before, unpriced_after, amount_before, amount_after, cost_before,"
            + " cost_after, currency FROM rating_audit WHERE client_id = ? ORDER BY id";

    private final DataSource dataSource;
    private final PriceBookLoader priceBooks;
    private final UsageRater rater;

    public Rerating(DataSource dataSource, PriceBookLoader priceBooks, UsageRater rater) {
        this.dataSource = dataSource;
        this.priceBooks = priceBooks;
        this.rater = rater;
    }

    /**
     * Rates every event of the operator's clients that waits for a price and has one now; the others keep waiting.
     *
     * @return the audit rows written, one per client and transaction whose events got a price
     */
    public List<RatingAuditEntry> rateWaitingOfOperator(UUID operatorId, Correction correction) throws SQLException {
        return rateWaiting(clientsOf(operatorId), correction);
    }

    /**
     * Rates every event of the clients that waits for a price and has one now, in transactions of {@value #CHUNK}
     * events; the others keep waiting, with the reason they still have no price.
     *
     * @return the audit rows written, one per client and transaction whose events got a price
     */
    public List<RatingAuditEntry> rateWaiting(Set<UUID> clientIds, Correction correction) throws SQLException {
        List<RatingAuditEntry> audit = new ArrayList<>();
        if (clientIds.isEmpty()) {
            return audit;
        }
        Position after = Position.START;
        while (after != null) {
            Position from = after;
            Chunk chunk = inTransaction(connection -> rateWaitingChunk(connection, clientIds, from, correction));
            audit.addAll(chunk.audit());
            after = chunk.next();
        }
        return audit;
    }

    /**
     * Rates the client's events of the local days {@code from} (inclusive) to {@code to} (exclusive) again with the
     * prices in the book now, and audits it. Amounts of open periods are replaced. Usage on an issued invoice keeps
     * its rows: the difference per invoice is recorded as a {@link RatingAdjustment} for billing to credit or
     * charge. Re-rate whole months where monthly bands apply.
     *
     * @return the audit row written, covering every event of the days
     * @throws RerateRefusedException when the client does not exist or the days are empty
     */
    public RatingAuditEntry rerate(UUID clientId, LocalDate from, LocalDate to, Correction correction)
            throws SQLException {
        if (!from.isBefore(to)) {
            throw new RerateRefusedException("the period " + from + " to " + to + " has no days");
        }
        RatingAuditEntry entry = inTransaction(connection -> reratePeriod(connection, clientId, from, to, correction));
        LOG.infof("period rerated: client=%s from=%s to=%s events=%d amount_before=%s amount_after=%s actor=%s",
                clientId, from, to, entry.events(), entry.amountBefore().toPlainString(),
                entry.amountAfter().toPlainString(), correction.actor());
        return entry;
    }

    /** The operator's usage waiting for a price, per client and model. */
    public List<UnpricedUsage> unpriced(UUID operatorId) throws SQLException {
        Set<UUID> clients = clientsOf(operatorId);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(UNPRICED)) {
            statement.setArray(1, connection.createArrayOf("uuid", clients.toArray()));
            List<UnpricedUsage> usage = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    usage.add(new UnpricedUsage(rows.getObject(1, UUID.class), rows.getString(2), rows.getLong(3),
                            instant(rows, 4), instant(rows, 5), rows.getString(6)));
                }
            }
            return usage;
        }
    }

    /** The client's rating audit, oldest first. */
    public List<RatingAuditEntry> audit(UUID clientId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(AUDIT_ROWS)) {
            statement.setObject(1, clientId);
            List<RatingAuditEntry> entries = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    entries.add(new RatingAuditEntry(rows.getObject(1, UUID.class), rows.getString(2),
                            instant(rows, 3), instant(rows, 4), rows.getString(5), rows.getString(6), instant(rows, 7),
                            rows.getInt(8), rows.getInt(9), rows.getInt(10), rows.getBigDecimal(11),
                            rows.getBigDecimal(12), rows.getBigDecimal(13), rows.getBigDecimal(14),
                            rows.getString(15).trim()));
                }
            }
            return entries;
        }
    }

    private Chunk rateWaitingChunk(Connection connection, Set<UUID> clientIds, Position after, Correction correction)
            throws SQLException {
        List<StoredEvent> events;
        try (PreparedStatement statement = connection.prepareStatement(WAITING)) {
            statement.setArray(1, connection.createArrayOf("uuid", clientIds.toArray()));
            statement.setObject(2, utc(after.occurredAt()));
            statement.setLong(3, after.id());
            events = read(statement);
        }
        if (events.isEmpty()) {
            return new Chunk(List.of(), null);
        }
        HourlyUsage hours = new HourlyUsage();
        Map<UUID, Tally> tallies = rateAgain(connection, events, Map.of(), hours);
        hours.write(connection);
        List<RatingAuditEntry> audit = new ArrayList<>();
        for (Tally tally : tallies.values()) {
            if (tally.unpricedAfter < tally.events) {
                RatingAuditEntry entry = tally.entry(RatingAuditEntry.PRICED_WAITING, tally.first, tally.last,
                        correction);
                writeAudit(connection, entry);
                audit.add(entry);
            }
        }
        StoredEvent last = events.get(events.size() - 1);
        return new Chunk(audit, events.size() < CHUNK ? null : new Position(last.occurredAt(), last.id()));
    }

    private RatingAuditEntry reratePeriod(Connection connection, UUID clientId, LocalDate from, LocalDate to,
            Correction correction) throws SQLException {
        ClientPlan client = priceBooks.load(connection, Set.of(clientId), Set.of(), true).client(clientId)
                .orElseThrow(() -> new RerateRefusedException("client " + clientId + " does not exist"));
        Instant start = from.atStartOfDay(client.zone()).toInstant();
        Instant end = to.atStartOfDay(client.zone()).toInstant();
        InvoicedPeriods invoiced = InvoicedPeriods.load(connection, Set.of(clientId), start);
        List<StoredEvent> events;
        try (PreparedStatement statement = connection.prepareStatement(IN_PERIOD)) {
            statement.setObject(1, clientId);
            statement.setObject(2, utc(start));
            statement.setObject(3, utc(end));
            events = read(statement);
        }

        // Rated usage on an issued invoice keeps its rows; waiting usage there is rated now and marked late.
        List<StoredEvent> open = new ArrayList<>();
        Map<UUID, List<StoredEvent>> onInvoices = new LinkedHashMap<>();
        for (StoredEvent event : events) {
            Optional<UUID> invoice = event.status() == RatingStatus.RATED
                    ? invoiced.invoiceCovering(clientId, event.occurredAt()) : Optional.empty();
            if (invoice.isPresent()) {
                onInvoices.computeIfAbsent(invoice.get(), id -> new ArrayList<>()).add(event);
            } else {
                open.add(event);
            }
        }

        HourlyUsage hours = new HourlyUsage();
        Map<UUID, Sums> before = removeRatedRows(connection, client, open, hours);
        Tally tally = rateAgain(connection, open, before, hours).getOrDefault(clientId, new Tally(client));
        hours.write(connection);
        List<RatingAdjustment> adjustments = new ArrayList<>();
        for (Map.Entry<UUID, List<StoredEvent>> invoice : onInvoices.entrySet()) {
            adjustments.add(adjustment(connection, client, invoice.getKey(), invoice.getValue(), tally, correction));
        }
        RatingAuditEntry entry = tally.entry(RatingAuditEntry.RERATED, start, end, correction);
        long auditId = writeAudit(connection, entry);
        writeAdjustments(connection, auditId, adjustments);
        return entry;
    }

    /**
     * What the invoiced events would be charged with the prices now, against what they were invoiced, without
     * changing their rows. Monthly bands count from the first of these events, so re-rate whole months.
     */
    private RatingAdjustment adjustment(Connection connection, ClientPlan client, UUID invoiceId,
            List<StoredEvent> events, Tally tally, Correction correction) throws SQLException {
        Sums invoicedSums = new Sums();
        try (PreparedStatement select = connection.prepareStatement(OLD_ROWS)) {
            select.setArray(1, connection.createArrayOf("bigint", events.stream().map(StoredEvent::id).toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    invoicedSums.add(rows.getBigDecimal(6), rows.getBigDecimal(7));
                }
            }
        }
        Set<String> models = new HashSet<>();
        events.forEach(event -> models.add(event.event().data().requestedModel()));
        PriceBook prices = priceBooks.load(connection, Set.of(client.clientId()), models, false);
        MonthlyQuantities month = MonthlyQuantities.empty();
        Sums now = new Sums();
        for (StoredEvent stored : events) {
            Rating rating = rater.rate(stored.event(), client, prices);
            tally.count(stored, rating);
            for (RatedLine line : RatedLines.of(rating, client, stored.occurredAt(), month)) {
                now.add(line.amount(), line.costAmount());
            }
        }
        tally.addBefore(invoicedSums);
        tally.addAfter(now);
        return new RatingAdjustment(client.clientId(), invoiceId, events.size(), invoicedSums.amount, now.amount,
                now.amount.subtract(invoicedSums.amount), client.currency(), correction.at());
    }

    private static void writeAdjustments(Connection connection, long auditId, List<RatingAdjustment> adjustments)
            throws SQLException {
        if (adjustments.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ADJUSTMENT)) {
            for (RatingAdjustment adjustment : adjustments) {
                insert.setLong(1, auditId);
                insert.setObject(2, adjustment.clientId());
                insert.setObject(3, adjustment.invoiceId());
                insert.setInt(4, adjustment.events());
                insert.setBigDecimal(5, adjustment.amountBefore());
                insert.setBigDecimal(6, adjustment.amountAfter());
                insert.setBigDecimal(7, adjustment.difference());
                insert.setString(8, adjustment.currency());
                insert.setObject(9, utc(adjustment.createdAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        LOG.infof("invoiced usage rerated; differences recorded for billing: audit=%d invoices=%d", auditId,
                adjustments.size());
    }

    /** The differences re-ratings found on the client's issued invoices that billing has not settled yet. */
    public List<RatingAdjustment> unsettledAdjustments(UUID clientId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(UNSETTLED)) {
            statement.setObject(1, clientId);
            List<RatingAdjustment> adjustments = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    adjustments.add(new RatingAdjustment(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getInt(3), rows.getBigDecimal(4), rows.getBigDecimal(5), rows.getBigDecimal(6),
                            rows.getString(7).trim(), instant(rows, 8)));
                }
            }
            return adjustments;
        }
    }

    /**
     * Rates the events with the book as it is now, writes the rated rows of those that have a price and sets every
     * event's status, collecting the changes of the hourly totals in {@code hours}.
     *
     * @param before the charge and cost the events had, by client; absent for events that had none
     * @return what changed, by client
     */
    private Map<UUID, Tally> rateAgain(Connection connection, List<StoredEvent> events, Map<UUID, Sums> before,
            HourlyUsage hours) throws SQLException {
        Set<UUID> clientIds = new HashSet<>();
        Set<String> models = new HashSet<>();
        events.forEach(event -> {
            clientIds.add(event.clientId());
            models.add(event.event().data().requestedModel());
        });
        PriceBook prices = priceBooks.load(connection, clientIds, models, true);

        Map<UUID, Tally> tallies = new LinkedHashMap<>();
        List<RatedRows.Rated> rated = new ArrayList<>(events.size());
        try (PreparedStatement status = connection.prepareStatement(SET_STATUS)) {
            for (StoredEvent stored : events) {
                ClientPlan client = prices.client(stored.clientId()).orElseThrow();
                Rating rating = rater.rate(stored.event(), client, prices);
                Tally tally = tallies.computeIfAbsent(client.clientId(),
                        id -> new Tally(client).before(before.get(id)));
                tally.count(stored, rating);
                HourlyUsage.Bucket hour = HourlyUsage.bucket(client.clientId(), client.zone(), stored.event().data(),
                        stored.occurredAt());
                hours.unpriced(hour, unpriced(rating.status()) - unpriced(stored.status()));
                if (rating.status() == RatingStatus.RATED) {
                    rated.add(new RatedRows.Rated(stored.id(), client, stored.occurredAt(), rating, hour));
                }
                status.setString(1, rating.status().name());
                status.setString(2, rating.reason());
                status.setLong(3, stored.id());
                status.addBatch();
            }
            status.executeBatch();
        }
        for (RatedRows.Row row : RatedRows.write(connection, prices, rated, hours)) {
            tallies.get(row.event().client().clientId()).add(row);
        }
        return tallies;
    }

    private static int unpriced(RatingStatus status) {
        return status == RatingStatus.UNPRICED ? 1 : 0;
    }

    /** Deletes the events' rated rows and takes their quantities off the monthly counters and amounts off the hours. */
    private static Map<UUID, Sums> removeRatedRows(Connection connection, ClientPlan client, List<StoredEvent> events,
            HourlyUsage hours) throws SQLException {
        Object[] ids = events.stream().map(StoredEvent::id).toArray();
        Map<Long, StoredEvent> byId = new HashMap<>();
        events.forEach(event -> byId.put(event.id(), event));
        Map<MonthlyKey, Long> removed = new HashMap<>();
        Sums sums = new Sums();
        try (PreparedStatement select = connection.prepareStatement(OLD_ROWS)) {
            select.setArray(1, connection.createArrayOf("bigint", ids));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    MonthlyKey key = new MonthlyKey(client.clientId(), rows.getObject(2, UUID.class),
                            UsageUnit.ofCode(rows.getString(3)), client.monthOf(instant(rows, 4)));
                    removed.merge(key, rows.getLong(5), Long::sum);
                    sums.add(rows.getBigDecimal(6), rows.getBigDecimal(7));
                    StoredEvent event = byId.get(rows.getLong(1));
                    BigDecimal cost = rows.getBigDecimal(7);
                    hours.money(HourlyUsage.bucket(client.clientId(), client.zone(), event.event().data(),
                            event.occurredAt()), rows.getBigDecimal(6).negate(), cost == null ? null : cost.negate());
                }
            }
        }
        // Locked in the same order as the consumer locks them, so the two never wait on each other in a circle.
        MonthlyCounters.lock(connection, removed.keySet());
        MonthlyCounters.subtract(connection, removed);
        try (PreparedStatement delete = connection.prepareStatement(DELETE_ROWS)) {
            delete.setArray(1, connection.createArrayOf("bigint", ids));
            delete.executeUpdate();
        }
        return Map.of(client.clientId(), sums);
    }

    private static List<StoredEvent> read(PreparedStatement statement) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                UsageEvent event = UsageEventCodec.decode(rows.getString(4).getBytes(StandardCharsets.UTF_8));
                events.add(new StoredEvent(rows.getLong(1), rows.getObject(2, UUID.class), instant(rows, 3), event,
                        RatingStatus.valueOf(rows.getString(5))));
            }
        }
        return events;
    }

    /** Inserts the audit row and returns its id. */
    private static long writeAudit(Connection connection, RatingAuditEntry entry) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(AUDIT)) {
            insert.setObject(1, entry.clientId());
            insert.setString(2, entry.kind());
            insert.setObject(3, utc(entry.periodStart()));
            insert.setObject(4, utc(entry.periodEnd()));
            insert.setString(5, entry.actor());
            insert.setString(6, entry.reason());
            insert.setObject(7, utc(entry.occurredAt()));
            insert.setInt(8, entry.events());
            insert.setInt(9, entry.unpricedBefore());
            insert.setInt(10, entry.unpricedAfter());
            insert.setBigDecimal(11, entry.amountBefore());
            insert.setBigDecimal(12, entry.amountAfter());
            insert.setBigDecimal(13, entry.costBefore());
            insert.setBigDecimal(14, entry.costAfter());
            insert.setString(15, entry.currency());
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }

    private Set<UUID> clientsOf(UUID operatorId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(OPERATOR_CLIENTS)) {
            statement.setObject(1, operatorId);
            Set<UUID> clients = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    clients.add(rows.getObject(1, UUID.class));
                }
            }
            return clients;
        }
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

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** An event as the ledger stores it. */
    private record StoredEvent(long id, UUID clientId, Instant occurredAt, UsageEvent event, RatingStatus status) {
    }

    /** Where a run over waiting events has got to: the last event rated, in (time, id) order. */
    private record Position(Instant occurredAt, long id) {
        static final Position START = new Position(Instant.parse("0001-01-01T00:00:00Z"), 0);
    }

    /** What one transaction over waiting events did, and where the next starts; null when there is no next. */
    private record Chunk(List<RatingAuditEntry> audit, Position next) {
    }

    /** A charge and a cost, summed exactly. */
    private static final class Sums {
        private BigDecimal amount = BigDecimal.ZERO;
        private BigDecimal cost = BigDecimal.ZERO;

        void add(BigDecimal rowAmount, BigDecimal rowCost) {
            amount = amount.add(rowAmount);
            cost = rowCost == null ? cost : cost.add(rowCost);
        }
    }

    /** One client's events of a run, before and after. */
    private static final class Tally {
        private final ClientPlan client;
        private Sums before = new Sums();
        private final Sums after = new Sums();
        private int events;
        private int unpricedBefore;
        private int unpricedAfter;
        private Instant first;
        private Instant last;

        Tally(ClientPlan client) {
            this.client = client;
        }

        Tally before(Sums sums) {
            if (sums != null) {
                before = sums;
            }
            return this;
        }

        void count(StoredEvent stored, Rating rating) {
            events++;
            unpricedBefore += stored.status() == RatingStatus.UNPRICED ? 1 : 0;
            unpricedAfter += rating.status() == RatingStatus.UNPRICED ? 1 : 0;
            first = first == null ? stored.occurredAt() : first;
            last = stored.occurredAt();
        }

        void add(RatedRows.Row row) {
            after.add(row.line().amount(), row.line().costAmount());
        }

        void addBefore(Sums sums) {
            before.amount = before.amount.add(sums.amount);
            before.cost = before.cost.add(sums.cost);
        }

        void addAfter(Sums sums) {
            after.amount = after.amount.add(sums.amount);
            after.cost = after.cost.add(sums.cost);
        }

        RatingAuditEntry entry(String kind, Instant periodStart, Instant periodEnd, Correction correction) {
            return new RatingAuditEntry(client.clientId(), kind, periodStart, periodEnd, correction.actor(),
                    correction.reason(), correction.at(), events, unpricedBefore, unpricedAfter, before.amount,
                    after.amount, before.cost, after.cost, client.currency());
        }
    }
}

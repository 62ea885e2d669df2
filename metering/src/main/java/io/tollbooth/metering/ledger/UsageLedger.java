package io.tollbooth.metering.ledger;

import io.tollbooth.metering.MeteringMetrics;
import io.tollbooth.metering.rating.ClientPlan;
import io.tollbooth.metering.rating.PriceBook;
import io.tollbooth.metering.rating.PriceBookLoader;
import io.tollbooth.metering.rating.Rating;
import io.tollbooth.metering.rating.RatingStatus;
import io.tollbooth.metering.rating.UsageRater;
import io.tollbooth.usage.event.UsageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The usage ledger in PostgreSQL: stores each usage event once per (client, source, event id) and, for events
 * stored for the first time, their rated amounts: the client's charge and the operator's cost of each unit.
 *
 * <p>The stored row is the only "already seen" state, so storing is idempotent: a batch may be retried, or
 * delivered again, any number of times and every event is in the ledger exactly once, with the amounts rated
 * when it was first stored.
 */
@ApplicationScoped
public class UsageLedger {

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);

    private final DataSource dataSource;
    private final PriceBookLoader priceBooks;
    private final UsageRater rater;
    private final MeteringMetrics metrics;

    public UsageLedger(DataSource dataSource, PriceBookLoader priceBooks, UsageRater rater, MeteringMetrics metrics) {
        this.dataSource = dataSource;
        this.priceBooks = priceBooks;
        this.rater = rater;
        this.metrics = metrics;
    }

    /**
     * Stores a batch of events in one transaction and rates the ones stored for the first time.
     *
     * <p>Should PostgreSQL refuse the data of some event (a value out of range, say), the batch is stored again
     * one event per transaction so that only the refused events are left out, each with outcome
     * {@link EventOutcome.Kind#INVALID}.
     *
     * <p>The outcomes are counted in {@link MeteringMetrics} as each transaction commits; one that failed counts
     * nothing.
     *
     * @return one outcome per event, in the order of {@code events}
     * @throws SQLException when the database failed; the batch may be partly stored and is safe to record again
     */
    public List<EventOutcome> record(List<ReceivedEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        try {
            return recordInOneTransaction(events);
        } catch (SQLException e) {
            if (!isRefusedData(e)) {
                throw e;
            }
            if (events.size() == 1) {
                List<EventOutcome> refused = List.of(EventOutcome.invalid("refused by the database: "
                        + rootMessage(e)));
                metrics.recorded(refused);
                return refused;
            }
            LOG.warnf(e, "usage batch refused by the database; storing its events one by one: events=%d sqlstate=%s",
                    events.size(), e.getSQLState());
            List<EventOutcome> outcomes = new ArrayList<>(events.size());
            for (ReceivedEvent event : events) {
                outcomes.addAll(record(List.of(event)));
            }
            return outcomes;
        }
    }

    private List<EventOutcome> recordInOneTransaction(List<ReceivedEvent> events) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            Written written;
            try {
                written = write(connection, events);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
            // Counted per committed transaction, so events stored one by one after a refusal count once each.
            metrics.recorded(written.outcomes());
            written.unpriced().forEach(UsageLedger::logUnpriced);
            return written.outcomes();
        }
    }

    /** Writes the batch inside the caller's transaction. */
    private Written write(Connection connection, List<ReceivedEvent> events) throws SQLException {
        EventOutcome[] outcomes = new EventOutcome[events.size()];

        // Invalid events and repeats within the batch are settled before anything is read or written.
        Map<EventKey, Integer> firsts = firstOfEachKey(events, outcomes);

        PriceBook prices = priceBooks.load(connection, clientIds(firsts.keySet()), modelNames(events, firsts), true);
        List<Entry> entries = rate(events, firsts, prices, outcomes);

        Map<EventKey, Long> inserted = entries.isEmpty() ? Map.of()
                : LedgerStatements.insertEvents(connection, entries);
        List<Entry> insertedNow = settleInserted(entries, inserted, outcomes);
        HourlyUsage hours = new HourlyUsage();
        List<RatedRows.Rated> rated = new ArrayList<>(insertedNow.size());
        for (Entry entry : insertedNow) {
            UsageEvent event = entry.event();
            HourlyUsage.Bucket hour = HourlyUsage.bucket(entry.client().clientId(), entry.client().zone(),
                    event.data(), event.time());
            if (entry.rating().status() != RatingStatus.REJECTED) {
                hours.request(hour, event.data().tokens(), entry.rating().status() == RatingStatus.UNPRICED);
            }
            rated.add(new RatedRows.Rated(inserted.get(entry.key()), entry.client(), event.time(), entry.rating(),
                    hour));
        }
        RatedRows.write(connection, prices, rated, hours);
        hours.write(connection);
        return new Written(Arrays.asList(outcomes), insertedNow.stream()
                .filter(entry -> entry.rating().status() == RatingStatus.UNPRICED)
                .toList());
    }

    private static Map<EventKey, Integer> firstOfEachKey(List<ReceivedEvent> events, EventOutcome[] outcomes) {
        Map<EventKey, Integer> firsts = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Optional<String> problem = UsageEventChecks.problem(events.get(i));
            if (problem.isPresent()) {
                outcomes[i] = EventOutcome.invalid(problem.get());
            } else if (firsts.putIfAbsent(keyOf(events.get(i).event()), i) != null) {
                outcomes[i] = EventOutcome.DUPLICATE;
            }
        }
        return firsts;
    }

    private List<Entry> rate(List<ReceivedEvent> events, Map<EventKey, Integer> firsts, PriceBook prices,
            EventOutcome[] outcomes) {
        List<Entry> entries = new ArrayList<>(firsts.size());
        for (Map.Entry<EventKey, Integer> first : firsts.entrySet()) {
            int index = first.getValue();
            Optional<ClientPlan> client = prices.client(first.getKey().clientId());
            if (client.isEmpty()) {
                outcomes[index] = EventOutcome.UNKNOWN_CLIENT;
                continue;
            }
            // Rated before the insert because the rating status is a column of the event row; the amounts are
            // written only for events that turn out to be new.
            Rating rating = rater.rate(events.get(index).event(), client.get(), prices);
            entries.add(new Entry(index, first.getKey(), events.get(index), client.get(), rating));
        }
        entries.sort((a, b) -> EventKey.ORDER.compare(a.key(), b.key()));
        return entries;
    }

    private static List<Entry> settleInserted(List<Entry> entries, Map<EventKey, Long> inserted,
            EventOutcome[] outcomes) {
        List<Entry> insertedNow = new ArrayList<>(inserted.size());
        for (Entry entry : entries) {
            if (!inserted.containsKey(entry.key())) {
                outcomes[entry.index()] = EventOutcome.DUPLICATE;
                continue;
            }
            insertedNow.add(entry);
            outcomes[entry.index()] = EventOutcome.stored(entry.rating().status(), entry.rating().reason());
        }
        return insertedNow;
    }

    private static void logUnpriced(Entry entry) {
        // Counted by MeteringMetrics (outcome "unpriced") for alerting; operators see them through Rerating.unpriced.
        LOG.warnf("usage event stored unpriced: client=%s source=%s event_id=%s model=%s reason=%s",
                entry.key().clientId(), entry.key().source(), entry.key().eventId(),
                entry.event().data().requestedModel(), entry.rating().reason());
    }

    private static EventKey keyOf(UsageEvent event) {
        return new EventKey(UUID.fromString(event.subject()), event.source(), event.id());
    }

    private static Set<UUID> clientIds(Set<EventKey> keys) {
        Set<UUID> ids = new HashSet<>();
        keys.forEach(key -> ids.add(key.clientId()));
        return ids;
    }

    private static Set<String> modelNames(List<ReceivedEvent> events, Map<EventKey, Integer> firsts) {
        Set<String> names = new HashSet<>();
        firsts.values().forEach(index -> names.add(events.get(index).event().data().requestedModel()));
        return names;
    }

    /** The outcomes of a written batch and the events it stored unpriced, to be reported once committed. */
    private record Written(List<EventOutcome> outcomes, List<Entry> unpriced) {
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Whether PostgreSQL refused the data itself (SQLSTATE classes 22 data exception, 23 integrity constraint
     * violation, 54 program limit exceeded): retrying the same rows would fail the same way.
     */
    static boolean isRefusedData(SQLException e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("22") || state.startsWith("23") || state.startsWith("54")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof SQLException sql && sql.getNextException() != null) {
            return sql.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static String rootMessage(SQLException e) {
        SQLException last = e;
        while (last.getNextException() != null) {
            last = last.getNextException();
        }
        return last.getSQLState() + " " + last.getMessage();
    }
}

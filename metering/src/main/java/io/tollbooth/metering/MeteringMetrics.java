package io.tollbooth.metering;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollbooth.metering.ledger.EventOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Metering's Prometheus metrics (at the control plane's {@code /q/metrics}): every event the ledger was given, by
 * outcome ({@code rated}, {@code unpriced}, {@code rejected}, {@code duplicate}, {@code unknown_client},
 * {@code invalid}); the records sent to the dead-letter topic, by cause; and each consumer's lag in records.
 *
 * <p>Alert on {@code outcome="unpriced"} (usage that cannot be invoiced until it is priced) and on any dead letter.
 */
@ApplicationScoped
public class MeteringMetrics {

    static final String EVENTS = "tollbooth.metering.events";
    static final String DEAD_LETTERS = "tollbooth.metering.dead.letters";
    static final String LAG = "tollbooth.metering.consumer.lag";

    private final MeterRegistry registry;
    private final Map<EventOutcome.Kind, Counter> events = new EnumMap<>(EventOutcome.Kind.class);

    public MeteringMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered up front so that every outcome is exported from the start, at 0 until it happens.
        for (EventOutcome.Kind kind : EventOutcome.Kind.values()) {
            events.put(kind, Counter.builder(EVENTS)
                    .description("Usage events given to the ledger (from Kafka, the ingestion API or a replay), by"
                            + " what the ledger did with them; counted once their transaction committed")
                    .tag("outcome", name(kind))
                    .register(registry));
        }
    }

    /** Counts the outcomes of a batch the ledger committed. */
    public void recorded(List<EventOutcome> outcomes) {
        for (EventOutcome outcome : outcomes) {
            events.get(outcome.kind()).increment();
        }
    }

    /** Counts records published to the dead-letter topic; {@code cause} is a short word, never the full reason. */
    public void deadLettered(String cause, int records) {
        Counter.builder(DEAD_LETTERS)
                .description("Usage records sent to the dead-letter topic, by cause")
                .tag("cause", cause)
                .register(registry)
                .increment(records);
    }

    /** Exports a consumer's lag: the records on its partitions it has not read yet. */
    public void consumerLag(String consumer, LongSupplier lag) {
        Gauge.builder(LAG, lag, supplier -> supplier.getAsLong())
                .description("Records on the consumer's partitions not read yet, as of its last poll")
                .tag("consumer", consumer)
                .register(registry);
    }

    /** A counter's value, for tests and for people: {@code EVENTS} by outcome. */
    public double events(EventOutcome.Kind kind) {
        return events.get(kind).count();
    }

    /** Dead letters of a cause so far. */
    public double deadLetters(String cause) {
        Counter counter = registry.find(DEAD_LETTERS).tag("cause", cause).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String name(EventOutcome.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}

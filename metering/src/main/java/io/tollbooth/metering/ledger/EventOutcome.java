package io.tollbooth.metering.ledger;

import io.tollbooth.metering.rating.RatingStatus;
import java.util.Objects;

/**
 * What the ledger did with one event of a batch.
 *
 * @param kind the outcome
 * @param detail why an event was not stored or is unpriced; null otherwise
 */
public record EventOutcome(Kind kind, String detail) {

    static final EventOutcome DUPLICATE = new EventOutcome(Kind.DUPLICATE, null);
    static final EventOutcome UNKNOWN_CLIENT = new EventOutcome(Kind.UNKNOWN_CLIENT, "no client with this id");

    public EventOutcome {
        Objects.requireNonNull(kind, "kind");
    }

    /** The outcome of an event stored for the first time with {@code status}. */
    static EventOutcome stored(RatingStatus status, String detail) {
        return switch (status) {
            case RATED -> new EventOutcome(Kind.RATED, null);
            case UNPRICED -> new EventOutcome(Kind.UNPRICED, detail);
            case REJECTED -> new EventOutcome(Kind.REJECTED, null);
        };
    }

    static EventOutcome invalid(String problem) {
        return new EventOutcome(Kind.INVALID, problem);
    }

    /** Whether the event is in the ledger now (stored by this batch or already before it). */
    public boolean inLedger() {
        return kind != Kind.UNKNOWN_CLIENT && kind != Kind.INVALID;
    }

    /** The possible outcomes. */
    public enum Kind {
        /** Stored now and rated. */
        RATED,
        /** Stored now without amounts, waiting for a price. */
        UNPRICED,
        /** Stored now as rejected by the gateway; never rated. */
        REJECTED,
        /** Already stored (by an earlier delivery or earlier in the same batch); nothing changed. */
        DUPLICATE,
        /** Not stored: the event names a client that does not exist. */
        UNKNOWN_CLIENT,
        /** Not stored: the event cannot be stored as it is; {@link EventOutcome#detail()} says why. */
        INVALID
    }
}

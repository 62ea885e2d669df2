package io.tollbooth.metering.ledger;

import java.util.Comparator;
import java.util.UUID;

/** The deduplication key of a usage event: the same (client, source, event id) is the same event. */
record EventKey(UUID clientId, String source, String eventId) {

    /** A fixed order, so concurrent batches take their row locks in the same order and cannot deadlock. */
    static final Comparator<EventKey> ORDER = Comparator.comparing(EventKey::clientId)
            .thenComparing(EventKey::source)
            .thenComparing(EventKey::eventId);
}

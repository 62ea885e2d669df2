package io.tollbooth.metering.ingest;

import io.tollbooth.metering.ledger.EventOutcome;

/**
 * What became of one event of an ingested batch.
 *
 * @param id the event's id
 * @param duplicate whether it was stored before (by an earlier delivery or earlier in the batch): acknowledged,
 *     not stored again, and not an error
 * @param outcome what the ledger did with it
 * @param detail why it was not stored or is unpriced; null otherwise
 */
public record IngestedEvent(String id, boolean duplicate, EventOutcome.Kind outcome, String detail) {
}

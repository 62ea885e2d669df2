package io.tollbooth.metering.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * A client's events of one requested model that wait for a price: counted apart from rated usage, never as zero.
 *
 * @param clientId the client
 * @param model the model name the requests used
 * @param events how many events wait
 * @param first the earliest event's time
 * @param last the latest event's time
 * @param reason why the latest of them could not be priced
 */
public record UnpricedUsage(UUID clientId, String model, long events, Instant first, Instant last, String reason) {
}

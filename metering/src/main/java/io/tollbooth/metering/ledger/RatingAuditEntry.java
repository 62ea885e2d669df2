package io.tollbooth.metering.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of the rating audit: stored events of a client rated again, with the amounts before and after.
 *
 * @param clientId the client
 * @param kind {@code priced_waiting} (events that waited for a price) or {@code rerated} (a period after a fix)
 * @param periodStart first instant of the events concerned (inclusive)
 * @param periodEnd end of the events concerned (exclusive for a period, the last event's time for waiting events)
 * @param actor who asked
 * @param reason why
 * @param occurredAt when
 * @param events events rated again
 * @param unpricedBefore of those, events that had no price before
 * @param unpricedAfter of those, events that still have none
 * @param amountBefore the client's charge for the events before, exact
 * @param amountAfter the client's charge for the events after, exact
 * @param costBefore the operator's known cost of the events before, exact
 * @param costAfter the operator's known cost of the events after, exact
 * @param currency the client's currency, of the amounts
 */
public record RatingAuditEntry(UUID clientId, String kind, Instant periodStart, Instant periodEnd, String actor,
        String reason, Instant occurredAt, int events, int unpricedBefore, int unpricedAfter, BigDecimal amountBefore,
        BigDecimal amountAfter, BigDecimal costBefore, BigDecimal costAfter, String currency) {

    /** Kind of the audit rows written when a new price rates events that were waiting for one. */
    public static final String PRICED_WAITING = "priced_waiting";

    /** Kind of the audit rows written when a client's period is rated again. */
    public static final String RERATED = "rerated";
}

package io.tollbooth.metering.rating;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A client's move to another price plan, valid from {@code effectiveFrom} until its next move.
 *
 * @param clientId the client
 * @param planId the plan that bills it from then on
 * @param effectiveFrom first instant (inclusive) billed by that plan
 * @param revision order of entry: of two moves for the same instant, the higher revision corrects the lower
 */
public record PlanChange(UUID clientId, UUID planId, Instant effectiveFrom, long revision) {

    public PlanChange {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    }
}

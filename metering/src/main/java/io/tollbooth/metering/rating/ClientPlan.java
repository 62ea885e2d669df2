package io.tollbooth.metering.rating;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Objects;
import java.util.UUID;

/**
 * What rating needs to know about a client: whose catalogue and cost prices its model names refer to, which plan
 * prices it, what it is charged in and where its months begin.
 *
 * @param clientId the client (tenant)
 * @param operatorId the operator whose model catalogue and cost prices apply
 * @param planId the price plan the client was created with; {@link PriceBook#planAt} tells the one that bills it at
 *     an instant, after any move to another plan
 * @param currency ISO 4217 code the client is charged in; every price charged must be in it
 * @param zone the client's time zone, in which its billing months (and monthly bands) begin
 */
public record ClientPlan(UUID clientId, UUID operatorId, UUID planId, String currency, ZoneId zone) {

    public ClientPlan {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(zone, "zone");
    }

    /** The client's calendar month that contains {@code at}. */
    public YearMonth monthOf(Instant at) {
        return YearMonth.from(at.atZone(zone));
    }
}

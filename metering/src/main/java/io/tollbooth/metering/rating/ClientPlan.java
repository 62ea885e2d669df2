package io.tollbooth.metering.rating;

import java.util.Objects;
import java.util.UUID;

/**
 * What rating needs to know about a client: whose catalogue its model names refer to and which plan prices them.
 *
 * @param clientId the client (tenant)
 * @param operatorId the operator whose model catalogue the client's requested model names are looked up in
 * @param planId the price plan the client is billed by
 * @param currency ISO 4217 code of the plan; every price used must be in it
 */
public record ClientPlan(UUID clientId, UUID operatorId, UUID planId, String currency) {

    public ClientPlan {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(currency, "currency");
    }
}

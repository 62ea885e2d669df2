package io.tollbooth.gateway.limits;

import java.time.ZoneId;
import java.util.Currency;
import java.util.UUID;

/**
 * Everything admission needs to know about one API key: its client's limits and its own, and how the client is
 * billed.
 *
 * @param keyId the key
 * @param clientId the key's client
 * @param operatorId the client's operator, whose catalogue names the models
 * @param planId the client's price plan
 * @param currency the client's currency, in which budgets are kept
 * @param timeZone the client's time zone, in which billing periods (calendar months) begin
 * @param client the limits of the client, over all its keys
 * @param key the limits of this key alone
 */
public record KeyLimits(UUID keyId, UUID clientId, UUID operatorId, UUID planId, Currency currency, ZoneId timeZone,
        ScopeLimits client, ScopeLimits key) {

    /** Whether any limit applies to the key's requests. */
    public boolean any() {
        return client.any() || key.any();
    }

    /** Whether admission must count the request's tokens. */
    boolean needsTokens() {
        return client.needsTokens() || key.needsTokens();
    }

    /** Whether a budget applies. */
    boolean needsPrices() {
        return client.budget() != null || key.budget() != null;
    }
}

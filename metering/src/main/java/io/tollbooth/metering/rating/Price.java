package io.tollbooth.metering.rating;

import io.tollbooth.usage.event.TokenKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of a price plan: what 1,000,000 tokens of one kind of one model cost from {@code effectiveFrom} until
 * the next row for the same plan, model and kind.
 *
 * @param id id of the price row, stored with every amount it produced
 * @param planId the price plan the row belongs to
 * @param modelId the model it prices
 * @param kind the token kind it prices
 * @param perMillion the price of 1,000,000 tokens, exact
 * @param currency ISO 4217 code of {@code perMillion}
 * @param effectiveFrom first instant (inclusive) at which the price applies
 */
public record Price(UUID id, UUID planId, UUID modelId, TokenKind kind, BigDecimal perMillion, String currency,
        Instant effectiveFrom) {

    public Price {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(perMillion, "perMillion");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    }
}

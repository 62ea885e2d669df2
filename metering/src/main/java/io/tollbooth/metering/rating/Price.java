package io.tollbooth.metering.rating;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of a price book: the operator's cost ({@code cost_price}), a plan's price ({@code price}) or a client's
 * own price ({@code client_price}). It applies from {@code effectiveFrom} until the next row with the same model,
 * unit, long-context tier and monthly band.
 *
 * @param id id of the row, stored with every amount it produced
 * @param ownerId the operator (cost), price plan or client the row belongs to
 * @param modelId the model it prices
 * @param unit what it prices
 * @param longContextOver 0 for the base price; N &gt; 0 for the tier that prices a whole request whose prompt is
 *     above N tokens
 * @param monthlyFrom 0 for the first monthly band; N for the band of the units after the first N of the month
 * @param tierMode how the bands of a schedule price the month
 * @param unitPrice price per 1,000,000 tokens, per request or per second ({@link UsageUnit#perMillion()}), exact
 * @param currency ISO 4217 code of {@code unitPrice}
 * @param effectiveFrom first instant (inclusive) at which the row applies
 * @param revision order of entry: of two rows for the same key and instant, the higher revision corrects the lower
 */
public record Price(UUID id, UUID ownerId, UUID modelId, UsageUnit unit, long longContextOver, long monthlyFrom,
        TierMode tierMode, BigDecimal unitPrice, String currency, Instant effectiveFrom, long revision) {

    public Price {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(tierMode, "tierMode");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    }

    /** A base price with a single band: the shape of every price without tiers. */
    public static Price flat(UUID id, UUID ownerId, UUID modelId, UsageUnit unit, BigDecimal unitPrice,
            String currency, Instant effectiveFrom) {
        return new Price(id, ownerId, modelId, unit, 0, 0, TierMode.GRADUATED, unitPrice, currency, effectiveFrom, 0);
    }
}

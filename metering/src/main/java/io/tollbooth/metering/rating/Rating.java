package io.tollbooth.metering.rating;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * How one event was rated: whether it could be priced, and with which prices. The amounts follow from these and
 * the client's month so far ({@link RatedLines}).
 *
 * @param status the outcome
 * @param modelId the priced model, or null when the requested model is unknown or the event was not looked up
 * @param source where the client's charge comes from when {@link RatingStatus#RATED}; null otherwise
 * @param markup the markup applied when {@code source} is {@link ChargeSource#MARKUP}; null otherwise
 * @param units the units used with their prices when {@link RatingStatus#RATED}; empty otherwise
 * @param reason why the event is {@link RatingStatus#UNPRICED}; null otherwise
 */
public record Rating(RatingStatus status, UUID modelId, ChargeSource source, Markup markup, List<PricedUnit> units,
        String reason) {

    public Rating {
        Objects.requireNonNull(status, "status");
        units = List.copyOf(units);
    }

    static Rating rated(UUID modelId, ChargeSource source, Markup markup, List<PricedUnit> units) {
        return new Rating(RatingStatus.RATED, modelId, source, markup, units, null);
    }

    static Rating unpriced(UUID modelId, String reason) {
        return new Rating(RatingStatus.UNPRICED, modelId, null, null, List.of(), reason);
    }

    static Rating rejected() {
        return new Rating(RatingStatus.REJECTED, null, null, null, List.of(), null);
    }

    /** Whether any unit is charged from monthly bands, so that the client's month so far is needed. */
    public boolean banded() {
        return units.stream().anyMatch(unit -> unit.charge() != null && unit.charge().banded());
    }
}

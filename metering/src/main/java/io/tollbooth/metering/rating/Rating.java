package io.tollbooth.metering.rating;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * How one event was rated.
 *
 * @param status the outcome
 * @param modelId the priced model, or null when the requested model is unknown or the event was not looked up
 * @param lines one line per token kind with a quantity above zero when {@link RatingStatus#RATED}; empty otherwise
 * @param reason why the event is {@link RatingStatus#UNPRICED}; null otherwise
 */
public record Rating(RatingStatus status, UUID modelId, List<RatedLine> lines, String reason) {

    public Rating {
        Objects.requireNonNull(status, "status");
        lines = List.copyOf(lines);
    }

    static Rating rated(UUID modelId, List<RatedLine> lines) {
        return new Rating(RatingStatus.RATED, modelId, lines, null);
    }

    static Rating unpriced(UUID modelId, String reason) {
        return new Rating(RatingStatus.UNPRICED, modelId, List.of(), reason);
    }

    static Rating rejected() {
        return new Rating(RatingStatus.REJECTED, null, List.of(), null);
    }

    /** The sum of the lines' amounts, exact; zero when nothing was rated. */
    public BigDecimal total() {
        return lines.stream().map(RatedLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}

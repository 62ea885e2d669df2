package io.tollbooth.metering.rating;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A client's markup over the operator's cost, valid from {@code effectiveFrom} until the client's next one.
 *
 * @param id id of the {@code client_markup} row, stored with every amount it produced
 * @param clientId the client
 * @param percent the markup in percent: 20 charges cost x 1.20, 0 charges the cost itself
 * @param effectiveFrom first instant (inclusive) at which it applies
 * @param revision order of entry: of two markups for the same instant, the higher revision corrects the lower
 */
public record Markup(UUID id, UUID clientId, BigDecimal percent, Instant effectiveFrom, long revision) {

    public Markup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(percent, "percent");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    }

    /** What a cost is multiplied by, exact: 1.20 for 20 %. */
    public BigDecimal factor() {
        return BigDecimal.ONE.add(percent.movePointLeft(2));
    }

    /** The unit price charged for a cost unit price, exact. */
    public BigDecimal applyTo(BigDecimal costUnitPrice) {
        return costUnitPrice.multiply(factor());
    }
}

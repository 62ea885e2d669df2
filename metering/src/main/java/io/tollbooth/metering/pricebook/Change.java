package io.tollbooth.metering.pricebook;

import java.time.Instant;
import java.util.Objects;

/**
 * Who changes a price book and when.
 *
 * @param actor who asks for the change, as recorded with every row it writes
 * @param at when, as recorded with every row
 * @param confirmed whether prices far out of line with the previous ones are meant (see {@link PriceChangeCheck})
 */
public record Change(String actor, Instant at, boolean confirmed) {

    public Change {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
    }
}

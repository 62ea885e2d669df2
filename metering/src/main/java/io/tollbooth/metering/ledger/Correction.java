package io.tollbooth.metering.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * Who rates stored events again, when and why, as the rating audit records it.
 *
 * @param actor who asked, for example the operator's user or the price change that triggered it
 * @param at when
 * @param reason why, in words for the people who read the audit later
 */
public record Correction(String actor, Instant at, String reason) {

    public Correction {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }
}

package io.tollbooth.metering.ledger;

import io.tollbooth.usage.event.UsageEvent;
import java.util.Objects;

/**
 * A decoded usage event together with the JSON it arrived as, which the ledger keeps unchanged so that every
 * amount can be traced back to exactly what was measured (including fields this version does not read).
 *
 * @param event the decoded event
 * @param json the event's JSON as received
 */
public record ReceivedEvent(UsageEvent event, String json) {

    public ReceivedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(json, "json");
    }
}

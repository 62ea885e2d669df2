package io.tollbooth.metering.ledger;

import io.tollbooth.metering.rating.ClientPlan;
import io.tollbooth.metering.rating.Rating;
import io.tollbooth.usage.event.UsageEvent;

/** An event of a batch that is to be written: its key, client and rating. */
record Entry(int index, EventKey key, ReceivedEvent received, ClientPlan client, Rating rating) {

    UsageEvent event() {
        return received.event();
    }
}

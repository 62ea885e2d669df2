package io.tollbooth.metering.pricebook;

import io.tollbooth.metering.rating.Price;
import java.time.Instant;
import java.util.UUID;

/**
 * A price as a book keeps it.
 *
 * @param price the row
 * @param model the model's name
 * @param source where a cost price came from: {@code manual} or {@code litellm}; null for client prices
 * @param createdBy who entered it
 * @param createdAt when it was entered
 * @param correctedBy the row entered later for the same key and instant, which replaces this one; null if none
 */
public record StoredPrice(Price price, String model, String source, String createdBy, Instant createdAt,
        UUID correctedBy) {
}

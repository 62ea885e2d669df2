package io.tollbooth.metering.pricebook;

import io.tollbooth.metering.rating.Markup;
import java.time.Instant;
import java.util.UUID;

/**
 * A client's markup as the book keeps it.
 *
 * @param markup the row
 * @param createdBy who entered it
 * @param createdAt when it was entered
 * @param correctedBy the markup entered later for the same instant, which replaces this one; null if none
 */
public record StoredMarkup(Markup markup, String createdBy, Instant createdAt, UUID correctedBy) {
}

package io.tollbooth.gateway.catalog;

import java.time.Instant;

/**
 * A model an operator offers.
 *
 * @param name the name clients request it by
 * @param createdAt when the operator added it
 * @param operatorSlug the operator's slug, shown as the model's owner
 */
public record CatalogModel(String name, Instant createdAt, String operatorSlug) {
}

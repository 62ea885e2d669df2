package io.tollbooth.gateway.routing;

import java.util.Locale;

/** How a model's backends share its requests (table {@code model_strategy}); every one falls back in priority order. */
public enum RouteStrategy {

    /** The first available backend in priority order. */
    PRIORITY,

    /** Available backends in proportion to their weight, by smooth weighted round robin (exact over each cycle). */
    WEIGHTED,

    /** The available backend with the fewest requests in flight from this replica; ties go by priority. */
    LEAST_IN_FLIGHT;

    /** The strategy stored as {@code value} ({@code least_in_flight}); null is {@link #PRIORITY}. */
    static RouteStrategy of(String value) {
        return value == null ? PRIORITY : valueOf(value.toUpperCase(Locale.ROOT));
    }
}

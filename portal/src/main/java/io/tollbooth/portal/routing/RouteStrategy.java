package io.tollbooth.portal.routing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How a model's backends share its requests (column {@code model_strategy.strategy}), as the gateway reads it. */
public enum RouteStrategy {
    /** The first available backend by priority; the others are fallbacks. */
    PRIORITY,
    /** In proportion to each route's weight. */
    WEIGHTED,
    /** The backend with the fewest requests open on the gateway replica. */
    LEAST_IN_FLIGHT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(RouteStrategy::code).toList();
    }

    static boolean known(String code) {
        return codes().contains(code);
    }
}

package io.tollbooth.gateway.routing;

import java.util.List;

/**
 * The backends that serve one model of one operator, in priority order, and how they share its requests.
 *
 * @param strategy how the first backend of each request is chosen
 * @param backends every backend of the model, lowest priority number first; never empty
 */
public record Route(RouteStrategy strategy, List<Backend> backends) {

    /** A model served by {@code backend} alone. */
    public static Route only(Backend backend) {
        return new Route(RouteStrategy.PRIORITY, List.of(backend));
    }
}

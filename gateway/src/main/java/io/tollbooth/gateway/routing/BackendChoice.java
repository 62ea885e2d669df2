package io.tollbooth.gateway.routing;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts a model's backends in the order one request tries them: the backend its route's strategy picks among those
 * {@link BackendStates#available available} first, then every other one in priority order as fallbacks. Draining
 * backends are left out altogether.
 *
 * <p>Weighted routes use smooth weighted round robin per model and replica: over any run of requests as long as the
 * weights' sum, each available backend gets exactly its weight's share, spread out rather than in bursts.
 */
@ApplicationScoped
public class BackendChoice {

    private final BackendStates states;
    private final Map<String, SmoothWeights> weightsByModel = new ConcurrentHashMap<>();

    BackendChoice(BackendStates states) {
        this.states = states;
    }

    /**
     * The backends of {@code route} (operator {@code operatorId}'s model {@code model}) in the order this request
     * tries them; empty when every one is draining.
     */
    public List<Backend> order(UUID operatorId, String model, Route route) {
        List<Backend> open = route.backends().stream().filter(backend -> !states.draining(backend)).toList();
        if (open.size() <= 1 || route.strategy() == RouteStrategy.PRIORITY) {
            return open;
        }
        List<Backend> available = open.stream().filter(states::available).toList();
        if (available.isEmpty()) {
            return open;
        }
        Backend first = switch (route.strategy()) {
            case WEIGHTED -> weightsByModel.computeIfAbsent(operatorId + " " + model, key -> new SmoothWeights())
                    .pick(available);
            case LEAST_IN_FLIGHT -> available.stream().min(Comparator.comparingInt(states::inFlight)).orElseThrow();
            case PRIORITY -> available.get(0);
        };
        List<Backend> ordered = new ArrayList<>(open.size());
        ordered.add(first);
        open.stream().filter(backend -> backend != first).forEach(ordered::add);
        return ordered;
    }

    /** The running weights of one model's backends, as nginx's smooth weighted round robin keeps them. */
    private static final class SmoothWeights {

        private final Map<String, Integer> current = new HashMap<>();

        /**
         * Adds each candidate's weight to its running weight, picks the highest (the earliest on a tie) and takes
         * the candidates' total weight off it.
         */
        synchronized Backend pick(List<Backend> candidates) {
            Backend best = null;
            int bestWeight = Integer.MIN_VALUE;
            int total = 0;
            for (Backend candidate : candidates) {
                int weight = current.merge(candidate.key(), candidate.weight(), Integer::sum);
                total += candidate.weight();
                if (weight > bestWeight) {
                    best = candidate;
                    bestWeight = weight;
                }
            }
            current.merge(best.key(), -total, Integer::sum);
            return best;
        }
    }
}

package io.tollbooth.gateway.routing;

import io.tollbooth.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * What this gateway replica knows of each backend: the requests it has in flight there, and a circuit breaker that
 * stops choosing a backend after consecutive failures (no connection, 5xx or 429) for a cool-down, after which
 * requests try it again and one success closes it.
 *
 * <p>Both only steer: a backend at its in-flight limit or with an open breaker is passed over while the request's
 * route has another candidate, and is used anyway when it has none, so they never refuse a request by themselves.
 */
@ApplicationScoped
public class BackendStates {

    private static final Logger LOG = Logger.getLogger(BackendStates.class);

    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
    private final int failureThreshold;
    private final Duration openDuration;
    private final Clock clock;

    @Inject
    BackendStates(GatewayConfig config, Clock clock) {
        this(config.circuitBreaker().failureThreshold(), config.circuitBreaker().openDuration(), clock);
    }

    BackendStates(int failureThreshold, Duration openDuration, Clock clock) {
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
        this.clock = clock;
    }

    /** Whether {@code backend} should be chosen now: below its in-flight limit, and its breaker not open. */
    public boolean available(Backend backend) {
        State state = states.get(key(backend));
        if (state == null) {
            return true;
        }
        boolean room = backend.maxInFlight() == null || state.inFlight.get() < backend.maxInFlight();
        return room && !state.open(clock.instant());
    }

    /** A request was sent to {@code backend}. */
    public void started(Backend backend) {
        state(backend).inFlight.incrementAndGet();
    }

    /**
     * A request sent to {@code backend} is over there.
     *
     * @param failed whether the backend failed it: not reachable, or 5xx or 429
     */
    public void ended(Backend backend, boolean failed) {
        State state = state(backend);
        state.inFlight.decrementAndGet();
        if (failed) {
            state.failed(clock.instant());
        } else {
            state.succeeded();
        }
    }

    /** Requests this replica has in flight at {@code backend}. */
    public int inFlight(Backend backend) {
        State state = states.get(key(backend));
        return state == null ? 0 : state.inFlight.get();
    }

    private State state(Backend backend) {
        return states.computeIfAbsent(key(backend), key -> new State(backend.name()));
    }

    /** A backend is known by its name and where it is: two operators may both call theirs "local". */
    private static String key(Backend backend) {
        return backend.name() + ' ' + backend.baseUrl();
    }

    /** One backend's counters. */
    private final class State {

        private final String name;
        private final AtomicInteger inFlight = new AtomicInteger();
        private int consecutiveFailures;
        private Instant openUntil = Instant.MIN;

        State(String name) {
            this.name = name;
        }

        synchronized boolean open(Instant now) {
            return now.isBefore(openUntil);
        }

        synchronized void failed(Instant now) {
            consecutiveFailures++;
            if (consecutiveFailures >= failureThreshold && !now.isBefore(openUntil)) {
                openUntil = now.plus(openDuration);
                LOG.warnf("outcome=backend_circuit_opened backend=%s consecutive_failures=%d open_until=%s", name,
                        consecutiveFailures, openUntil);
            }
        }

        synchronized void succeeded() {
            if (consecutiveFailures >= failureThreshold) {
                LOG.infof("outcome=backend_circuit_closed backend=%s", name);
            }
            consecutiveFailures = 0;
            openUntil = Instant.MIN;
        }
    }
}

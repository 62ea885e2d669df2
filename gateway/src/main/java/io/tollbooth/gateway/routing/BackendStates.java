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
 * What this gateway replica knows of each backend: the requests it has in flight there; a circuit breaker that
 * stops choosing a backend after consecutive failures (no connection, 5xx or 429) for a cool-down, after which
 * requests try it again and one success closes it; and what the {@link BackendMonitor} last found: its drain flag,
 * its health check, and vLLM's waiting queue against the backend's limit.
 *
 * <p>A draining backend gets no new request at all. Everything else only steers: a backend at its in-flight limit,
 * with an open breaker, failing its health check or with too long a waiting queue is passed over while the
 * request's route has another candidate, and is used anyway when it has none.
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

    /**
     * Whether {@code backend} should be chosen now: not draining, below its in-flight limit, its breaker not open,
     * passing its health check and its waiting queue not above its limit.
     */
    public boolean available(Backend backend) {
        State state = states.get(backend.key());
        if (state == null) {
            return true;
        }
        boolean room = backend.maxInFlight() == null || state.inFlight.get() < backend.maxInFlight();
        return room && !state.draining && state.healthy && !state.queueTooLong() && !state.open(clock.instant());
    }

    /** Whether {@code backend} is being drained: it must get no new request. */
    public boolean draining(Backend backend) {
        State state = states.get(backend.key());
        return state != null && state.draining;
    }

    /** Marks the backend known as {@code key} (see {@link Backend#key()}) as draining or not. */
    void drain(String key, String name, boolean draining) {
        State state = states.computeIfAbsent(key, k -> new State(name));
        if (state.draining != draining) {
            LOG.infof("outcome=%s backend=%s in_flight=%d", draining ? "backend_draining" : "backend_undrained", name,
                    state.inFlight.get());
        }
        state.draining = draining;
    }

    /** Sets whether the backend known as {@code key} passes its health check. */
    void health(String key, String name, boolean healthy) {
        State state = states.computeIfAbsent(key, k -> new State(name));
        if (state.healthy != healthy) {
            if (healthy) {
                LOG.infof("outcome=backend_healthy backend=%s", name);
            } else {
                LOG.warnf("outcome=backend_unhealthy backend=%s action=passed_over", name);
            }
        }
        state.healthy = healthy;
    }

    /**
     * Sets the waiting queue last read from the backend known as {@code key} and its limit.
     *
     * @param waiting requests waiting at the backend, or -1 when unknown (never read, or the read failed)
     * @param maxWaiting the most it may have before it is passed over, or -1 for no limit
     */
    void waitingQueue(String key, String name, long waiting, long maxWaiting) {
        State state = states.computeIfAbsent(key, k -> new State(name));
        boolean wasTooLong = state.queueTooLong();
        state.waiting = waiting;
        state.maxWaiting = maxWaiting;
        if (state.queueTooLong() != wasTooLong) {
            LOG.infof("outcome=%s backend=%s waiting=%d max_waiting=%d", wasTooLong ? "backend_queue_short_again"
                    : "backend_queue_too_long", name, waiting, maxWaiting);
        }
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
        State state = states.get(backend.key());
        return state == null ? 0 : state.inFlight.get();
    }

    /** Requests waiting at {@code backend} as last read from its metrics page, or -1 when unknown or not read. */
    public long waiting(Backend backend) {
        State state = states.get(backend.key());
        return state == null ? -1 : state.waiting;
    }

    /** Requests this replica has in flight, at every backend together. */
    public int inFlight() {
        return states.values().stream().mapToInt(state -> state.inFlight.get()).sum();
    }

    private State state(Backend backend) {
        return states.computeIfAbsent(backend.key(), key -> new State(backend.name()));
    }

    /** One backend's counters. */
    private final class State {

        private final String name;
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean draining;
        private volatile boolean healthy = true;
        private volatile long waiting = -1;
        private volatile long maxWaiting = -1;
        private int consecutiveFailures;
        private Instant openUntil = Instant.MIN;

        State(String name) {
            this.name = name;
        }

        boolean queueTooLong() {
            return maxWaiting >= 0 && waiting > maxWaiting;
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

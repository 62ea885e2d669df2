package io.tollbooth.gateway.proxy;

import io.vertx.core.http.HttpHeaders;
import java.time.Instant;
import java.util.UUID;

/**
 * When and as what a request arrived: its id, its arrival by the gateway's clock (the event's time) and by the
 * monotonic clock (its durations).
 *
 * @param requestId a random UUID, unique across gateway replicas and restarts, so the usage event id derived from
 *     it is too; never taken from the caller
 * @param arrivedAt arrival by the injected clock
 * @param startNanos arrival by {@link System#nanoTime()}
 */
record RequestStart(String requestId, Instant arrivedAt, long startNanos) {

    /** The response header that carries the request id. */
    static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("x-request-id");

    static RequestStart now(Instant arrivedAt) {
        return new RequestStart(UUID.randomUUID().toString(), arrivedAt, System.nanoTime());
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

package io.tollbooth.gateway.routing;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tollbooth.gateway.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Keeps this replica's {@link BackendStates} up to date with what is true of the backends outside it, every
 * {@code tollbooth.gateway.backends.poll-interval}: it reads every backend's drain flag from the database, checks the
 * health of those with a {@code health_url} and reads vLLM's waiting queue from those with a {@code metrics_url}.
 * Every replica polls on its own, so a drain flag set in the database reaches all of them within one interval.
 */
@ApplicationScoped
public class BackendMonitor {

    private static final Logger LOG = Logger.getLogger(BackendMonitor.class);
    private static final String BACKENDS = """
            SELECT name, base_url, draining, health_url, metrics_url, max_waiting
            FROM backend""";

    private final Pool pool;
    private final BackendStates states;
    private final Vertx vertx;
    private final HttpClient client;
    private final Duration pollInterval;
    private final Duration probeTimeout;
    private final int unhealthyThreshold;
    private final Map<String, Integer> failedChecks = new ConcurrentHashMap<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    private long timer = -1;

    @Inject
    BackendMonitor(Pool pool, BackendStates states, Vertx vertx, GatewayConfig config) {
        this(pool, states, vertx, config.backends().pollInterval(), config.backends().probeTimeout(),
                config.backends().unhealthyThreshold());
    }

    BackendMonitor(Pool pool, BackendStates states, Vertx vertx, Duration pollInterval, Duration probeTimeout,
            int unhealthyThreshold) {
        this.pool = pool;
        this.states = states;
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
        this.pollInterval = pollInterval;
        this.probeTimeout = probeTimeout;
        this.unhealthyThreshold = unhealthyThreshold;
    }

    void onStart(@Observes StartupEvent start) {
        start();
    }

    void onShutdown(@Observes ShutdownEvent shutdown) {
        stop();
    }

    /** Polls now and then every poll interval, until {@link #stop()}. */
    void start() {
        poll();
        timer = vertx.setPeriodic(pollInterval.toMillis(), id -> poll());
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        client.close();
    }

    /**
     * One round: reads the backends and probes them; completes when every probe has answered or failed. A round
     * still running when the next is due makes that one skip.
     */
    Future<Void> poll() {
        if (!polling.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return pool.query(BACKENDS).execute()
                .compose(rows -> {
                    List<Future<Void>> probes = new ArrayList<>();
                    rows.forEach(row -> probes.add(update(row)));
                    return Future.join(probes).<Void>mapEmpty();
                })
                .onFailure(failure -> LOG.warnf("outcome=backend_poll_failed cause=\"%s\"", failure.toString()))
                .eventually(() -> {
                    polling.set(false);
                    return Future.succeededFuture();
                });
    }

    private Future<Void> update(Row row) {
        String name = row.getString("name");
        String key = Backend.key(name, URI.create(row.getString("base_url")));
        states.drain(key, name, row.getBoolean("draining"));
        Future<Void> health = checkHealth(key, name, row.getString("health_url"));
        Future<Void> queue = readWaitingQueue(key, name, row.getString("metrics_url"), row.getInteger("max_waiting"));
        return Future.join(health, queue).mapEmpty();
    }

    /** A 2xx answer passes; anything else, or none within the probe timeout, fails. */
    private Future<Void> checkHealth(String key, String name, String healthUrl) {
        if (healthUrl == null) {
            failedChecks.remove(key);
            states.health(key, name, true);
            return Future.succeededFuture();
        }
        return get(healthUrl).transform(answer -> {
            boolean passed = answer.succeeded() && answer.result().status() / 100 == 2;
            if (passed) {
                failedChecks.remove(key);
            } else {
                int failed = failedChecks.merge(key, 1, Integer::sum);
                LOG.debugf("outcome=backend_health_check_failed backend=%s failed_in_a_row=%d cause=\"%s\"", name,
                        failed, answer.succeeded() ? "status " + answer.result().status() : answer.cause());
            }
            states.health(key, name, failedChecks.getOrDefault(key, 0) < unhealthyThreshold);
            return Future.succeededFuture();
        });
    }

    /** Reads the gauge; when the page cannot be read, the queue is taken as unknown, which never passes it over. */
    private Future<Void> readWaitingQueue(String key, String name, String metricsUrl, Integer maxWaiting) {
        if (metricsUrl == null || maxWaiting == null) {
            states.waitingQueue(key, name, -1, -1);
            return Future.succeededFuture();
        }
        return get(metricsUrl).transform(answer -> {
            long waiting = -1;
            if (answer.succeeded() && answer.result().status() == 200) {
                waiting = WaitingQueue.waiting(answer.result().body());
            } else {
                LOG.debugf("outcome=backend_metrics_unread backend=%s", name);
            }
            states.waitingQueue(key, name, waiting, maxWaiting);
            return Future.succeededFuture();
        });
    }

    private Future<Page> get(String url) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .setConnectTimeout(probeTimeout.toMillis())
                .setIdleTimeout(probeTimeout.toMillis());
        return client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> new Page(response.statusCode(), body.toString())));
    }

    /** A probe's answer. */
    private record Page(int status, String body) {
    }
}

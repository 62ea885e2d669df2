package io.tollbooth.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.RawHttp;
import io.tollbooth.gateway.testing.RoutingSeed;
import io.tollbooth.gateway.testing.StrategySeed;
import io.tollbooth.gateway.testing.UsageTopic;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The routing strategies and the backend monitor against the simulator and the real database: weighted and least
 * in flight routes, spilling on vLLM's waiting queue, health checks, and a drain flag that every replica picks up.
 *
 * <p>Every backend here is the simulator under another name, so the event's {@code backend} shows only the
 * gateway's choice. A small HTTP server stands in for the probed pages: vLLM's {@code /metrics} (Prometheus text,
 * with the waiting-queue gauge the test sets) and a {@code /health} whose status the test sets.
 */
@QuarkusTest
class RoutingStrategiesTest {

    private static final String JSON = "application/json";
    private static final Duration MONITOR_WAIT = Duration.ofSeconds(5);
    /** A request the simulator holds for 1.5 s before answering with 2 tokens. */
    private static final String HELD = "{\"first_token_delay_ms\":1500,\"completion_tokens\":2}";
    /** A request held for 3 s, long enough to outlast a drain being set and seen. */
    private static final String HELD_LONG = "{\"first_token_delay_ms\":3000,\"completion_tokens\":2}";
    private static final AtomicLong WAITING = new AtomicLong();
    private static final AtomicInteger HEALTH_STATUS = new AtomicInteger(200);
    private static HttpServer probes;

    @TestHTTPResource("/")
    URL gateway;

    @Inject
    BackendStates states;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @BeforeAll
    static void startTheProbedPages() throws IOException {
        probes = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        probes.createContext("/metrics", exchange -> answer(exchange, 200, """
                # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
                # TYPE vllm:num_requests_waiting gauge
                vllm:num_requests_waiting{engine="0",model_name="llama"} %d.0
                vllm:num_requests_running{engine="0",model_name="llama"} 4.0
                """.formatted(WAITING.get())));
        probes.createContext("/health", exchange -> answer(exchange, HEALTH_STATUS.get(), ""));
        probes.start();
    }

    @AfterAll
    static void stopTheProbedPages() {
        probes.stop(0);
    }

    @Test
    void sharesAWeightedModelExactlyByWeight() {
        seed();

        Map<String, Long> served = countByBackend(IntStream.range(0, 40).mapToObj(i -> post("st-weighted", "{}"))
                .map(RoutingStrategiesTest::eventOf).toList());

        assertThat(served).containsOnly(Map.entry("weight-3", 30L), Map.entry("weight-1", 10L));
    }

    @Test
    void sendsALeastInFlightModelToTheBackendWithFewerRequestsOpen() throws Exception {
        seed();
        Backend first = backend("least-a");
        Backend second = backend("least-b");

        CompletableFuture<RawHttp.Answer> heldAtFirst = CompletableFuture.supplyAsync(() -> post("st-least", HELD));
        await().atMost(MONITOR_WAIT).until(() -> states.inFlight(first) == 1);
        UsageData toSecond = eventOf(post("st-least", "{}"));
        await().atMost(MONITOR_WAIT).until(() -> states.inFlight(second) == 0);
        CompletableFuture<RawHttp.Answer> heldAtSecond = CompletableFuture.supplyAsync(() -> post("st-least", HELD));
        await().atMost(MONITOR_WAIT).until(() -> states.inFlight(second) == 1);
        UsageData onATie = eventOf(post("st-least", "{}"));

        assertThat(toSecond.backend()).isEqualTo("least-b");
        assertThat(onATie.backend()).isEqualTo("least-a");
        assertThat(eventOf(heldAtFirst.get(30, TimeUnit.SECONDS)).backend()).isEqualTo("least-a");
        assertThat(eventOf(heldAtSecond.get(30, TimeUnit.SECONDS)).backend()).isEqualTo("least-b");
    }

    @Test
    void spillsToTheCloudWhileVllmsWaitingQueueIsAboveItsLimit() {
        seed();
        Backend local = backend("vllm-local");

        WAITING.set(5);
        await().atMost(MONITOR_WAIT).until(() -> states.waiting(local) == 5);
        List<UsageData> atTheLimit = posts("st-queue", 3);
        WAITING.set(6);
        await().atMost(MONITOR_WAIT).until(() -> !states.available(local));
        List<UsageData> overTheLimit = posts("st-queue", 4);
        WAITING.set(0);
        await().atMost(MONITOR_WAIT).until(() -> states.available(local));
        List<UsageData> drainedQueue = posts("st-queue", 2);

        assertThat(countByBackend(atTheLimit)).containsOnly(Map.entry("vllm-local", 3L));
        assertThat(countByBackend(overTheLimit)).containsOnly(Map.entry("cloud-queue", 4L));
        assertThat(overTheLimit).allSatisfy(usage -> assertThat(usage.attempts()).isNull());
        assertThat(countByBackend(drainedQueue)).containsOnly(Map.entry("vllm-local", 2L));
    }

    @Test
    void passesOverABackendThatFailsItsHealthCheckUntilItPassesAgain() {
        seed();
        Backend checked = backend("checked");

        HEALTH_STATUS.set(503);
        await().atMost(MONITOR_WAIT).until(() -> !states.available(checked));
        List<UsageData> whileDown = posts("st-health", 3);
        HEALTH_STATUS.set(200);
        await().atMost(MONITOR_WAIT).until(() -> states.available(checked));
        List<UsageData> backUp = posts("st-health", 2);

        assertThat(countByBackend(whileDown)).containsOnly(Map.entry("healthy-spare", 3L));
        assertThat(countByBackend(backUp)).containsOnly(Map.entry("checked", 2L));
    }

    @Test
    void drainsABackendOnEveryReplicaWhileItsOpenRequestFinishes() throws Exception {
        seed();
        Backend drained = backend("drained");
        BackendStates otherReplica = new BackendStates(5, Duration.ofSeconds(30), Clock.systemUTC());
        BackendMonitor otherMonitor = new BackendMonitor(pool, otherReplica, vertx, Duration.ofMillis(200),
                Duration.ofSeconds(1), 2);
        otherMonitor.start();
        try {
            CompletableFuture<RawHttp.Answer> open = CompletableFuture.supplyAsync(() -> post("st-drain",
                    HELD_LONG));
            await().atMost(MONITOR_WAIT).until(() -> states.inFlight(drained) == 1);

            StrategySeed.drain("drained", true);
            await().atMost(MONITOR_WAIT).until(() -> states.draining(drained) && otherReplica.draining(drained));
            int openWhenDrained = states.inFlight(drained);
            List<UsageData> whileDraining = posts("st-drain", 3);
            UsageData finished = eventOf(open.get(30, TimeUnit.SECONDS));

            StrategySeed.drain("drain-spare", true);
            await().atMost(MONITOR_WAIT).until(() -> states.draining(backend("drain-spare")));
            RawHttp.Answer allDrained = post("st-drain", "{}");

            assertThat(openWhenDrained).isEqualTo(1);
            assertThat(countByBackend(whileDraining)).containsOnly(Map.entry("drain-spare", 3L));
            assertThat(finished.backend()).isEqualTo("drained");
            assertThat(finished.status()).isEqualTo(Status.OK);
            assertThat(finished.tokens().output()).isEqualTo(2);
            assertThat(states.inFlight(drained)).isZero();
            assertThat(allDrained.status()).isEqualTo(503);
            assertThat(allDrained.text()).contains("\"code\":\"service_unavailable\"");
            assertThat(UsageTopic.get().eventsOf(allDrained.requestId())).isEmpty();
        } finally {
            StrategySeed.drain("drained", false);
            StrategySeed.drain("drain-spare", false);
            otherMonitor.stop();
        }
    }

    private void seed() {
        StrategySeed.ensure("http://127.0.0.1:" + probes.getAddress().getPort());
    }

    private static Backend backend(String name) {
        return new Backend(name, URI.create(RoutingSeed.simulatorBaseUrl()), Optional.empty());
    }

    private List<UsageData> posts(String model, int count) {
        return IntStream.range(0, count).mapToObj(i -> eventOf(post(model, "{}"))).toList();
    }

    private RawHttp.Answer post(String model, String simulation) {
        return RawHttp.send(URI.create(gateway + "v1/chat/completions"), JSON, ("{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"simulation\":" + simulation + "}")
                .getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + StrategySeed.KEY.secret());
    }

    private static UsageData eventOf(RawHttp.Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        return UsageTopic.get().awaitEventOf(answer.requestId()).event().data();
    }

    private static Map<String, Long> countByBackend(List<UsageData> events) {
        return events.stream().collect(Collectors.groupingBy(UsageData::backend, Collectors.counting()));
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

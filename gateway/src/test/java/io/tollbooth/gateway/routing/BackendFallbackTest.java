package io.tollbooth.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.PlanT;
import io.tollbooth.gateway.testing.RawHttp;
import io.tollbooth.gateway.testing.Replayed;
import io.tollbooth.gateway.testing.Replays;
import io.tollbooth.gateway.testing.RoutingSeed;
import io.tollbooth.gateway.testing.UsageTopic;
import io.tollbooth.simulator.SimulatedTokenizer;
import io.tollbooth.simulator.SimulatorServer;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UpstreamAttempt;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageData.UsageSource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests routed by the {@code model_route} table, falling back from a backend that fails before its first byte
 * to the next one: the caller gets one answer and the books one event that lists every attempt (field case 18).
 *
 * <p>Two simulators serve as the backends: a broken one, whose replays answer 500 or 429, and the regular one; both
 * are asked for the same replay name, so only the backend decides the answer.
 */
@QuarkusTest
class BackendFallbackTest {

    private static final String JSON = "application/json";
    private static final String REQUEST = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final byte[] ANSWER_300_50 = ("{\"id\":\"chatcmpl-r1\",\"object\":\"chat.completion\",\"created\":0,"
            + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":300,"
            + "\"completion_tokens\":50,\"total_tokens\":350}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] SERVER_ERROR = ("{\"error\":{\"message\":\"The server had an error.\","
            + "\"type\":\"server_error\",\"param\":null,\"code\":null}}").getBytes(StandardCharsets.UTF_8);

    private static SimulatorServer broken;

    @TestHTTPResource("/")
    URL gateway;

    @Inject
    BackendStates states;

    @BeforeAll
    static void startTheBrokenBackend() {
        broken = SimulatorServer.start(0);
    }

    @AfterAll
    static void stopTheBrokenBackend() {
        broken.close();
    }

    @Test
    void case18BillsOneRequestServedByTheFallbackAndListsBothAttempts() {
        RoutingSeed.ensure(broken.baseUrl());
        Replays.register(root(broken), "case18", SERVER_ERROR, JSON, "?status=500");

        Replayed call = Replayed.call(gateway, "/v1/chat/completions", REQUEST.formatted("gpt-4o"), "case18",
                ANSWER_300_50, JSON, "Authorization", "Bearer " + RoutingSeed.KEY.secret());
        UsageData usage = call.usage();

        assertThat(call.answer().body()).isEqualTo(ANSWER_300_50);
        assertThat(UsageTopic.get().eventsOf(call.answer().requestId())).hasSize(1);
        assertThat(usage.tokens()).isEqualTo(TokenCounts.of(300, 50));
        assertThat(usage.status()).isEqualTo(Status.OK);
        assertThat(usage.usageSource()).isEqualTo(UsageSource.REPORTED);
        assertThat(PlanT.cost("gpt-4o", usage.tokens())).isEqualByComparingTo("0.00125");
        assertThat(usage.backend()).isEqualTo("cloud-b");
        assertThat(usage.requestedModel()).isEqualTo("gpt-4o");
        assertThat(usage.servedModel()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(usage.attempts()).containsExactly(new UpstreamAttempt("broken-a", 500, "backend_status"),
                new UpstreamAttempt("cloud-b", 200, "answered"));
    }

    @Test
    void fallsBackFromABackendThatCannotBeReachedAndFromA429() {
        RoutingSeed.ensure(broken.baseUrl());
        Replays.register(root(broken), "fallback-429", SERVER_ERROR, JSON, "?status=429");

        Replayed unreachable = Replayed.call(gateway, "/v1/chat/completions", REQUEST.formatted("local-llama"),
                "fallback-unreachable", ANSWER_300_50, JSON, "Authorization", "Bearer " + RoutingSeed.KEY.secret());
        Replayed limited = Replayed.call(gateway, "/v1/chat/completions", REQUEST.formatted("o4-mini"),
                "fallback-429", ANSWER_300_50, JSON, "Authorization", "Bearer " + RoutingSeed.KEY.secret());

        assertThat(unreachable.answer().body()).isEqualTo(ANSWER_300_50);
        assertThat(unreachable.usage().attempts()).containsExactly(
                new UpstreamAttempt("unreachable", 0, "backend_unavailable"),
                new UpstreamAttempt("cloud-b", 200, "answered"));
        assertThat(limited.answer().body()).isEqualTo(ANSWER_300_50);
        assertThat(limited.usage().attempts()).containsExactly(new UpstreamAttempt("broken-a", 429, "backend_status"),
                new UpstreamAttempt("cloud-b", 200, "answered"));
    }

    @Test
    void stopsAfterTheBoundedNumberOfAttemptsAndPassesTheLastRefusalOn() {
        RoutingSeed.ensure(broken.baseUrl());
        Replays.register(root(broken), "all-broken", SERVER_ERROR, JSON, "?status=500");

        // claude-sonnet is routed to four broken backends; the gateway tries three (tollbooth.gateway.max-attempts).
        Replayed call = Replayed.call(gateway, "/v1/chat/completions", REQUEST.formatted("claude-sonnet"),
                "all-broken", SERVER_ERROR, JSON, "Authorization", "Bearer " + RoutingSeed.KEY.secret());

        assertThat(call.answer().status()).isEqualTo(500);
        assertThat(call.answer().body()).isEqualTo(SERVER_ERROR);
        assertThat(call.usage().status()).isEqualTo(Status.BACKEND_ERROR);
        assertThat(call.usage().tokens()).isEqualTo(TokenCounts.ZERO);
        assertThat(call.usage().attempts()).containsExactly(new UpstreamAttempt("broken-a", 500, "backend_status"),
                new UpstreamAttempt("broken-b", 500, "backend_status"),
                new UpstreamAttempt("broken-c", 500, "answered"));
    }

    @Test
    void sendsTheBackendsOwnNameForAnAliasAndRecordsBoth() {
        RoutingSeed.ensure(broken.baseUrl());

        RawHttp.Answer answer = RawHttp.send(URI.create(gateway + "v1/chat/completions"), JSON,
                ("{\"model\":\"sim-alias\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"simulation\":{\"completion_tokens\":3}}").getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + RoutingSeed.KEY.secret());
        UsageData usage = UsageTopic.get().awaitEventOf(answer.requestId()).event().data();

        // The simulator answers with the model name it was sent.
        assertThat(answer.text()).contains("\"model\":\"sim-small-2026\"");
        assertThat(usage.requestedModel()).isEqualTo("sim-alias");
        assertThat(usage.servedModel()).isEqualTo("sim-small-2026");
        assertThat(usage.backend()).isEqualTo("cloud-b");
        assertThat(usage.attempts()).isNull();
        assertThat(usage.tokens()).isEqualTo(TokenCounts.of(SimulatedTokenizer.promptTokens("hi"), 3));
    }

    @Test
    void spillsToTheNextBackendWhileTheFirstIsAtItsInFlightLimit() throws Exception {
        RoutingSeed.ensure(broken.baseUrl());
        Backend local = new Backend("local-1", URI.create(RoutingSeed.simulatorBaseUrl()), Optional.empty());

        CompletableFuture<RawHttp.Answer> slow = CompletableFuture.supplyAsync(
                () -> post("sim-spill", "{\"first_token_delay_ms\":2000,\"completion_tokens\":2}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> states.inFlight(local) == 1);
        UsageData spilled = eventOf(post("sim-spill", "{\"completion_tokens\":2}"));
        UsageData held = eventOf(slow.get(30, TimeUnit.SECONDS));
        UsageData afterwards = eventOf(post("sim-spill", "{\"completion_tokens\":2}"));

        assertThat(spilled.backend()).isEqualTo("cloud-b");
        assertThat(spilled.attempts()).isNull();
        assertThat(held.backend()).isEqualTo("local-1");
        assertThat(afterwards.backend()).isEqualTo("local-1");
        assertThat(states.inFlight(local)).isZero();
    }

    @Test
    void passesOverABackendWhoseBreakerOpenedAfterFiveFailuresInARow() {
        RoutingSeed.ensure(broken.baseUrl());
        Replays.register(root(broken), "breaker", SERVER_ERROR, JSON, "?status=500");

        for (int failure = 1; failure <= 5; failure++) {
            UsageData usage = Replayed.call(gateway, "/v1/chat/completions", REQUEST.formatted("sim-breaker"),
                    "breaker", ANSWER_300_50, JSON, "Authorization", "Bearer " + RoutingSeed.KEY.secret()).usage();
            assertThat(usage.attempts()).as("request %d", failure).containsExactly(
                    new UpstreamAttempt("broken-e", 500, "backend_status"),
                    new UpstreamAttempt("cloud-b", 200, "answered"));
        }
        UsageData sixth = Replayed.call(gateway, "/v1/chat/completions", REQUEST.formatted("sim-breaker"), "breaker",
                ANSWER_300_50, JSON, "Authorization", "Bearer " + RoutingSeed.KEY.secret()).usage();

        assertThat(sixth.backend()).isEqualTo("cloud-b");
        assertThat(sixth.attempts()).isNull();
        assertThat(sixth.tokens()).isEqualTo(TokenCounts.of(300, 50));
    }

    private RawHttp.Answer post(String model, String simulation) {
        return RawHttp.send(URI.create(gateway + "v1/chat/completions"), JSON, ("{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"simulation\":" + simulation + "}")
                .getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + RoutingSeed.KEY.secret());
    }

    private static UsageData eventOf(RawHttp.Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        return UsageTopic.get().awaitEventOf(answer.requestId()).event().data();
    }

    private static String root(SimulatorServer simulator) {
        return simulator.baseUrl().substring(0, simulator.baseUrl().length() - "/v1".length());
    }
}

package io.tollbooth.simulator;

import static io.tollbooth.simulator.SimulatorClient.chatRequest;
import static io.tollbooth.simulator.SimulatorClient.streamed;
import static io.tollbooth.simulator.SimulatorClient.withPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delays in the plan hold back exactly the chunks they should, without blocking the server: on a simulator with
 * a single event loop, a quick request sent while a slow one waits is answered before the slow one goes on.
 * Assertions are on the order of events, never on measured durations.
 */
class TimingTest {

    private static final long LONG_ENOUGH_MS = 700;

    private static SimulatorServer server;
    private static SimulatorClient client;

    private final List<String> timeline = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSimulatorOnOneEventLoop() {
        server = SimulatorServer.start(SimulatorServer.DEFAULT_HOST, 0, 1);
        client = new SimulatorClient(server);
    }

    @AfterAll
    static void stopSimulator() {
        server.close();
    }

    @Test
    void sendsTheRoleChunkAtOnceAndHoldsTheFirstTokenForItsDelay() {
        CompletableFuture<Void> slow = record("slow", withPlan(streamed(chatRequest("Hi"), false),
                SimulationPlan.DEFAULT.withCompletionTokens(2).withFirstTokenDelayMs(LONG_ENOUGH_MS)));
        await().until(() -> timeline.contains("slow role"));

        answerQuickly();
        slow.join();

        assertThat(timeline).containsExactly("slow role", "quick answered", "slow content 'Tollbooth'",
                "slow content ' simulates'", "slow finish stop", "slow [DONE]");
    }

    @Test
    void holdsEachLaterChunkForTheChunkDelay() {
        CompletableFuture<Void> slow = record("slow", withPlan(streamed(chatRequest("Hi"), true),
                SimulationPlan.DEFAULT.withCompletionTokens(2).withChunkDelayMs(LONG_ENOUGH_MS)));
        await().until(() -> timeline.contains("slow content 'Tollbooth'"));

        answerQuickly();
        slow.join();

        assertThat(timeline).containsExactly("slow role", "slow content 'Tollbooth'", "quick answered",
                "slow content ' simulates'", "slow finish stop", "slow usage 2", "slow [DONE]");
    }

    @Test
    void holdsANonStreamingAnswerUntilTheWholeStreamWouldHaveEnded() {
        CompletableFuture<Void> slow = record("slow", withPlan(chatRequest("Hi"), SimulationPlan.DEFAULT
                .withCompletionTokens(2).withFirstTokenDelayMs(LONG_ENOUGH_MS).withChunkDelayMs(LONG_ENOUGH_MS)));

        answerQuickly();
        slow.join();

        assertThat(timeline).containsExactly("quick answered", "slow answer Tollbooth simulates");
    }

    @Test
    void keepsServingAfterAClientAbandonsAStream() {
        HttpResponse<Stream<String>> abandoned = client.openStream(withPlan(streamed(chatRequest("Hi"), false),
                SimulationPlan.DEFAULT.withFirstTokenDelayMs(60_000)));
        assertThat(abandoned.body().findFirst()).hasValueSatisfying(line -> assertThat(line).contains("role"));
        abandoned.body().close();

        answerQuickly();

        assertThat(timeline).containsExactly("quick answered");
    }

    @Test
    void computesTheNonStreamingDelayFromTheStreamSchedule() {
        SimulationPlan plan = SimulationPlan.DEFAULT.withCompletionTokens(5).withReasoningTokens(2)
                .withFirstTokenDelayMs(100).withChunkDelayMs(10);
        ChatCompletion completion = new ChatCompletion("chatcmpl-sim-1", 0,
                new ChatRequest("sim-small", 4, false, false, -1, plan));

        // Three content chunks: the first after 100 ms, the next two and the finish chunk 10 ms apart.
        assertThat(completion.delayBeforeBody()).isEqualTo(130);
    }

    private void answerQuickly() {
        client.chatOk(chatRequest("Hi"));
        timeline.add("quick answered");
    }

    /** Sends {@code request} and adds each event of its answer to the timeline, as it arrives. */
    private CompletableFuture<Void> record(String name, JsonNode request) {
        return CompletableFuture.runAsync(() -> client.openStream(request).body()
                .filter(line -> !line.isEmpty())
                .forEach(line -> timeline.add(name + " " + describe(line))));
    }

    private static String describe(String line) {
        if (!line.startsWith("data: ")) {
            return "answer " + SimulatorClient.read(line).at("/choices/0/message/content").asText();
        }
        String data = line.substring("data: ".length());
        if (data.equals("[DONE]")) {
            return data;
        }
        JsonNode chunk = SimulatorClient.read(data);
        JsonNode choice = chunk.at("/choices/0");
        if (choice.isMissingNode()) {
            return "usage " + chunk.at("/usage/completion_tokens").asInt();
        }
        if (choice.at("/delta/role").isTextual()) {
            return "role";
        }
        if (choice.get("finish_reason").isTextual()) {
            return "finish " + choice.get("finish_reason").asText();
        }
        return "content '" + choice.at("/delta/content").asText() + "'";
    }
}

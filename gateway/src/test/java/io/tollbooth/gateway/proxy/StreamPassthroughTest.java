package io.tollbooth.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.RawHttp;
import io.tollbooth.gateway.testing.Seed;
import io.tollbooth.gateway.testing.SimulatorResource;
import io.tollbooth.gateway.testing.UsageTopic;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageData.UsageSource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The bytes a streaming caller receives, compared with the bytes the backend sends for the same request: every
 * event passes unchanged and in order, and only a usage chunk the caller did not ask for is taken out.
 */
@QuarkusTest
class StreamPassthroughTest {

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to Tollbooth.\"}]";
    private static final String USAGE_ON = "\"stream_options\":{\"include_usage\":true}";

    @TestHTTPResource("/v1/chat/completions")
    URL gateway;

    @Test
    void passesEveryEventOnByteForByteToACallerWhoAskedForUsage() {
        String body = body(USAGE_ON + ",\"simulation\":{\"completion_tokens\":3}");

        HttpResponse<String> response = viaGateway(body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        List<String> events = events(response.body());
        assertThat(events).isEqualTo(events(direct(body)));
        assertThat(events).hasSize(7);
        assertThat(events.get(5)).startsWith("data: {").contains("\"choices\":[],\"usage\":{\"prompt_tokens\":8,");
        assertThat(events.get(6)).isEqualTo("data: [DONE]\n\n");
        assertThat(events.stream().filter(event -> event.contains("\"usage\":{"))).hasSize(1);
    }

    @Test
    void takesOutOnlyTheUsageChunkForACallerWhoDidNotAskForIt() {
        String simulation = "\"simulation\":{\"completion_tokens\":3}";

        HttpResponse<String> response = viaGateway(body(simulation));

        List<String> expected = new ArrayList<>(events(direct(body(USAGE_ON + "," + simulation))));
        String usageChunk = expected.remove(5);
        assertThat(usageChunk).contains("\"choices\":[],\"usage\":{");
        assertThat(events(response.body())).isEqualTo(expected);
        assertThat(response.body()).doesNotContain("\"usage\":{").endsWith("data: [DONE]\n\n");
        UsageData data = UsageTopic.get().awaitEventOf(requestId(response)).event().data();
        assertThat(data.tokens()).isEqualTo(TokenCounts.of(8, 3));
    }

    @Test
    void takesOutTheUsageChunkWhenStreamOptionsAreEmpty() {
        HttpResponse<String> response =
                viaGateway(body("\"stream_options\":{},\"simulation\":{\"completion_tokens\":2}"));

        assertThat(response.body()).doesNotContain("\"usage\":{").endsWith("data: [DONE]\n\n");
        assertThat(UsageTopic.get().awaitEventOf(requestId(response)).event().data().tokens())
                .isEqualTo(TokenCounts.of(8, 2));
    }

    @Test
    void passesAFinishChunkCarryingUsageOnEvenToACallerWhoDidNotAskForUsage() {
        String simulation = "\"simulation\":{\"completion_tokens\":2,\"usage_on_finish_chunk\":true}";

        HttpResponse<String> response = viaGateway(body(simulation));

        assertThat(events(response.body())).isEqualTo(events(direct(body(USAGE_ON + "," + simulation))));
        assertThat(UsageTopic.get().awaitEventOf(requestId(response)).event().data().tokens())
                .isEqualTo(TokenCounts.of(8, 2));
    }

    @Test
    void passesABackendErrorOnUnchangedAndMetersNothing() {
        String body = body("\"simulation\":{\"status\":429}");

        HttpResponse<String> response = viaGateway(body);

        HttpResponse<String> direct = RawHttp.post(simulator(), null, body);
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).isEqualTo(direct.body());
        UsageData data = UsageTopic.get().awaitEventOf(requestId(response)).event().data();
        assertThat(data.status()).isEqualTo(Status.BACKEND_ERROR);
        assertThat(data.tokens()).isEqualTo(TokenCounts.ZERO);
        assertThat(data.usageSource()).isEqualTo(UsageSource.ESTIMATED);
    }

    private HttpResponse<String> viaGateway(String body) {
        return RawHttp.post(URI.create(gateway.toString()), Seed.KEY.secret(), body);
    }

    /** The same request sent straight to the simulator, as the gateway forwards it. */
    private static String direct(String body) {
        return RawHttp.post(simulator(), null, body).body();
    }

    private static URI simulator() {
        String baseUrl = ConfigProvider.getConfig().getValue(SimulatorResource.BASE_URL_KEY, String.class);
        return URI.create(baseUrl + "/chat/completions");
    }

    private static String body(String extraFields) {
        return "{\"model\":\"" + Seed.MODEL + "\"," + MESSAGES + ",\"stream\":true," + extraFields + "}";
    }

    /** The SSE events of a stream, with the simulator's per-request id and timestamp made comparable. */
    private static List<String> events(String stream) {
        String comparable = stream.replaceAll("\"id\":\"chatcmpl-sim-\\d+\"", "\"id\":\"chatcmpl-sim\"")
                .replaceAll("\"created\":\\d+", "\"created\":0");
        return Arrays.stream(comparable.split("(?<=\n\n)")).toList();
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("x-request-id").orElseThrow();
    }
}

package io.tollbooth.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.RawHttp;
import io.tollbooth.gateway.testing.Seed;
import io.tollbooth.gateway.testing.UsageTopic;
import io.tollbooth.usage.event.UsageEvent;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every accepted request leaves exactly one event and every refused request none.
 *
 * <p>All requests use one client, whose events share one partition in the order the gateway sent them, so once
 * a later marker request's event has arrived, any duplicate of an earlier one would have arrived too.
 */
@QuarkusTest
class OneEventPerRequestTest {

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to Tollbooth.\"}]";

    @TestHTTPResource("/")
    URL gatewayRoot;

    @Test
    void leavesOneEventPerAcceptedRequestAndNoneForARefusedOne() {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            accepted.add(requestId(post(request("false", "{\"completion_tokens\":2}"))));
            accepted.add(requestId(post(request("true", "{\"completion_tokens\":2}"))));
        }
        accepted.add(requestId(post(request("true", "{\"status\":503}"))));
        accepted.add(RawHttp.postAndHangUp(URI.create(gatewayRoot.toString()), "/v1/chat/completions",
                Seed.KEY.secret(), request("true", "{\"chunk_delay_ms\":60000}"), "\"content\":\"Tollbooth\""));
        List<String> refused = List.of(
                requestId(post("{\"model\":\"sim-small\"")),
                requestId(post(request("false", "{}").replace(Seed.MODEL, "gpt-4o"))));
        accepted.forEach(UsageTopic.get()::awaitEventOf);

        String marker = requestId(post(request("false", "{\"completion_tokens\":1}")));
        UsageTopic.get().awaitEventOf(marker);

        for (String requestId : accepted) {
            assertThat(UsageTopic.get().eventsOf(requestId)).as(requestId).hasSize(1);
        }
        for (String requestId : refused) {
            assertThat(UsageTopic.get().eventsOf(requestId)).as(requestId).isEmpty();
        }
    }

    @Test
    void neverPublishesTwoEventsForOneRequestId() {
        String marker = requestId(post(request("true", "{\"completion_tokens\":1}")));
        UsageTopic.get().awaitEventOf(marker);

        Map<String, List<UsageEvent>> byId = UsageTopic.get().all().stream()
                .map(UsageTopic.Received::event)
                .collect(Collectors.groupingBy(UsageEvent::id));

        assertThat(byId).allSatisfy((id, events) -> {
            assertThat(events).as(id).hasSize(1);
            assertThat(id).isEqualTo(UsageEvent.idForRequest(events.get(0).data().requestId()));
        });
    }

    private HttpResponse<String> post(String body) {
        URI url = URI.create(gatewayRoot.toString()).resolve("/v1/chat/completions");
        return RawHttp.post(url, Seed.KEY.secret(), body);
    }

    private static String request(String stream, String simulation) {
        return "{\"model\":\"" + Seed.MODEL + "\"," + MESSAGES + ",\"stream\":" + stream + ",\"simulation\":"
                + simulation + "}";
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("x-request-id").orElseThrow();
    }
}

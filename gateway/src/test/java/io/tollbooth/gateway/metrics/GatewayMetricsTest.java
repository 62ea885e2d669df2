package io.tollbooth.gateway.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.CaptureSeed;
import io.tollbooth.gateway.testing.Replayed;
import io.tollbooth.gateway.testing.WireSamples;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus metrics move by exactly what one request adds to them. */
@QuarkusTest
class GatewayMetricsTest {

    private static final String CLIENT = CaptureSeed.CLIENT.toString();

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void countsAMeteredRequestAndItsTokensByKind() {
        String requests = "tollbooth_gateway_requests_total{backend=\"simulator\",client=\"" + CLIENT
                + "\",endpoint=\"chat.completions\",model=\"gpt-4o\",status=\"ok\"}";
        String cached = tokens("cached_input");
        String input = tokens("input");
        double requestsBefore = value(requests);
        double cachedBefore = value(cached);
        double inputBefore = value(input);
        byte[] sse = WireSamples.sharedJson(
                "issue_captures/openai_compat_terminal_chunk_nonempty_choices_with_cached_tokens.json")
                .path("sse").asText().getBytes(StandardCharsets.UTF_8);

        Replayed.call(gateway, "/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"stream\":true}", "metrics-case1", sse, "text/event-stream");

        assertThat(value(requests) - requestsBefore).isEqualTo(1);
        assertThat(value(cached) - cachedBefore).isEqualTo(15_872);
        assertThat(value(input) - inputBefore).isEqualTo(239);
        assertThat(metrics()).contains("tollbooth_gateway_request_duration_seconds_bucket{backend=\"simulator\","
                + "endpoint=\"chat.completions\"", "tollbooth_gateway_time_to_first_token_seconds_count{"
                + "backend=\"simulator\",endpoint=\"chat.completions\"}");
    }

    @Test
    void countsTheGatewaysOwnRefusalsAndShowsTheSpoolDepth() {
        String missingKey = "tollbooth_gateway_refusals_total{outcome=\"key_missing\",status=\"401\"}";
        double before = value(missingKey);

        given().contentType("application/json").body("{}").post("/v1/chat/completions").then().statusCode(401);

        assertThat(value(missingKey) - before).isEqualTo(1);
        assertThat(metrics()).containsPattern("(?m)^tollbooth_gateway_usage_spool_depth \\d+\\.0$");
    }

    private static String tokens(String kind) {
        return "tollbooth_gateway_tokens_total{client=\"" + CLIENT + "\",kind=\"" + kind + "\",model=\"gpt-4o\"}";
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one series, or 0 before it exists. */
    private static double value(String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics());
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}

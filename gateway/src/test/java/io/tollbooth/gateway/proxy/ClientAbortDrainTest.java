package io.tollbooth.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tollbooth.gateway.testing.CaptureSeed;
import io.tollbooth.gateway.testing.PlanT;
import io.tollbooth.gateway.testing.RawHttp;
import io.tollbooth.gateway.testing.UsageTopic;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageData.UsageSource;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Field case 5 with the gateway set to drain: a caller that hangs up after 50 of 200 chunks leaves one event with
 * the backend's own final counts, read from the rest of the answer the caller never gets.
 */
@QuarkusTest
@TestProfile(ClientAbortDrainTest.DrainProfile.class)
class ClientAbortDrainTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void case5MetersTheBackendsFinalCountsOfAnAbandonedStream() {
        CaptureSeed.ensure();
        String request = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a long story.\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"simulation\":{\"prompt_tokens\":1200,"
                + "\"completion_tokens\":200,\"chunk_delay_ms\":20}}";

        String requestId = RawHttp.postAndHangUpAfterEvents(URI.create(gateway.toString()), "/v1/chat/completions",
                CaptureSeed.KEY.secret(), request, ClientAbortTest.ROLE_CHUNK + 50);
        UsageData usage = UsageTopic.get().awaitEventOf(requestId).event().data();

        assertThat(usage.status()).isEqualTo(Status.CLIENT_ABORTED);
        assertThat(usage.usageSource()).isEqualTo(UsageSource.REPORTED);
        assertThat(usage.tokens()).isEqualTo(TokenCounts.of(1200, 200));
        assertThat(PlanT.cost("gpt-4o", usage.tokens())).isEqualByComparingTo("0.005");
        assertThat(UsageTopic.get().eventsOf(requestId)).hasSize(1);
    }

    /** The gateway reading an abandoned answer to its end. */
    public static class DrainProfile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollbooth.gateway.client-abort", "drain");
        }
    }
}

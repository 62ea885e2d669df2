package io.tollbooth.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.RawHttp;
import io.tollbooth.gateway.testing.Seed;
import io.tollbooth.gateway.testing.UsageTopic;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageData.UsageSource;
import java.net.URI;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** A caller that hangs up mid-stream still leaves exactly one usage event, for what it was sent. */
@QuarkusTest
class ClientAbortTest {

    /** The first content chunk arrives at once; the next would come a minute later, long after the hang-up. */
    private static final String STALLING_STREAM = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello to Tollbooth.\"}],\"stream\":true,"
            + "\"simulation\":{\"completion_tokens\":16,\"chunk_delay_ms\":60000}}";

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void metersWhatWasProducedWhenTheCallerHangsUpMidStream() {
        String requestId = RawHttp.postAndHangUp(URI.create(gateway.toString()), "/v1/chat/completions",
                Seed.KEY.secret(), STALLING_STREAM, "\"content\":\"Tollbooth\"");

        UsageData data = UsageTopic.get().awaitEventOf(requestId).event().data();

        assertThat(data.status()).isEqualTo(Status.CLIENT_ABORTED);
        // The backend is stopped before reporting usage, so jtokkit (o200k_base) counts: the prompt with OpenAI's
        // chat framing, 3 + (3 + "user" 1 + 7), and the one word sent, "Tollbooth", 4.
        assertThat(data.usageSource()).isEqualTo(UsageSource.ESTIMATED);
        assertThat(data.tokens()).isEqualTo(TokenCounts.of(14, 4));
        assertThat(data.stream()).isTrue();
        assertThat(UsageTopic.get().eventsOf(requestId)).hasSize(1);
    }
}

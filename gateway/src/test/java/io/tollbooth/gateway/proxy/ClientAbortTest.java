package io.tollbooth.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.CaptureSeed;
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

    /** The events a stream sends before its first content chunk: the simulator's role chunk. */
    static final int ROLE_CHUNK = 1;

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

    /**
     * Field case 5, cancelling: 200 chunks 20 ms apart and the caller gone after 50. The backend is stopped before its
     * usage chunk, so the event holds the estimate: the prompt exactly, and at least the 50 words delivered.
     */
    @Test
    void case5MetersThePromptAndAtLeastTheDeliveredOutputWhenItStopsTheBackend() {
        CaptureSeed.ensure();
        // jtokkit (o200k_base): "hello" and 1,192 times " hello" are 1,193 tokens; with the chat framing 1,200.
        String prompt = "hello" + " hello".repeat(1192);
        assertThat(Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE)
                .countTokensOrdinary(prompt)).isEqualTo(1193);
        String request = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"simulation\":{\"prompt_tokens\":1200,"
                + "\"completion_tokens\":200,\"chunk_delay_ms\":20}}";

        String requestId = RawHttp.postAndHangUpAfterEvents(URI.create(gateway.toString()), "/v1/chat/completions",
                CaptureSeed.KEY.secret(), request, ROLE_CHUNK + 50);
        UsageData data = UsageTopic.get().awaitEventOf(requestId).event().data();

        assertThat(data.status()).isEqualTo(Status.CLIENT_ABORTED);
        assertThat(data.usageSource()).isEqualTo(UsageSource.ESTIMATED);
        assertThat(data.tokens().input()).isEqualTo(1200);
        assertThat(data.tokens().output()).isBetween(50L, 199L);
        assertThat(UsageTopic.get().eventsOf(requestId)).hasSize(1);
    }
}

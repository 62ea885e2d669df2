package io.tollbooth.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollbooth.gateway.auth.AuthenticatedKey;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageData.UsageSource;
import io.tollbooth.usage.event.UsageEvent;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** From a finished request to its usage event, without Kafka. */
class UsageMeasurementTest {

    private static final AuthenticatedKey KEY = new AuthenticatedKey(
            UUID.fromString("0d000000-0000-0000-0000-000000000001"), "tb_abcdefgh",
            UUID.fromString("0c000000-0000-0000-0000-000000000001"),
            UUID.fromString("0a000000-0000-0000-0000-000000000001"));
    private static final Instant ARRIVED = Instant.parse("2026-03-14T09:26:53Z");
    private static final Buffer REQUEST = Buffer.buffer("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello to Tollbooth.\"}]}");

    private final TokenEstimator estimator = new TokenEstimator();

    @Test
    void buildsTheEnvelopeFromTheRequest() {
        UsageEvent event = measure(Status.OK, new WholeResponse(MeteredApi.CHAT_COMPLETIONS,
                Buffer.buffer("{\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":2006,\"completion_tokens\":300,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1920}}}"))).event();

        assertThat(event.id()).isEqualTo("usage-req-1");
        assertThat(event.source()).isEqualTo("tollbooth-gateway");
        assertThat(event.subject()).isEqualTo("0c000000-0000-0000-0000-000000000001");
        assertThat(event.time()).isEqualTo(ARRIVED);
        assertThat(event.data()).isEqualTo(new UsageData(1, "req-1", "0c000000-0000-0000-0000-000000000001",
                "0d000000-0000-0000-0000-000000000001", "tb_abcdefgh", "chat.completions", "gpt-4o",
                "gpt-4o-2024-08-06", "simulator", false, Status.OK, UsageSource.REPORTED,
                new TokenCounts(86, 1920, 0, 300, 0), 42, 7L));
    }

    @Test
    void rejectsInconsistentCountsWithTheClampedValues() {
        UsageRecorder.Measured measured = measure(Status.OK, new WholeResponse(MeteredApi.CHAT_COMPLETIONS,
                Buffer.buffer(
                "{\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":5,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":120}}}")));

        assertThat(measured.event().data().status()).isEqualTo(Status.REJECTED);
        assertThat(measured.event().data().tokens()).isEqualTo(new TokenCounts(0, 120, 0, 5, 0));
        assertThat(measured.inconsistency()).isEqualTo("cached_tokens 120 > prompt_tokens 100");
    }

    @Test
    void metersNothingForARequestTheBackendNeverServed() {
        UsageData data = measure(Status.BACKEND_ERROR, ResponseUsage.NOTHING_SERVED).event().data();

        assertThat(data.tokens()).isEqualTo(TokenCounts.ZERO);
        assertThat(data.usageSource()).isEqualTo(UsageSource.ESTIMATED);
        assertThat(data.status()).isEqualTo(Status.BACKEND_ERROR);
    }

    @Test
    void estimatesThePromptOfACallerWhoLeftBeforeTheAnswer() {
        UsageData data = measure(Status.CLIENT_ABORTED, ResponseUsage.CALLER_LEFT_BEFORE_ANSWER).event().data();

        // jtokkit, gpt-4o's o200k_base: 3 to prime the reply + 3 per message + "user" 1 + the text 7.
        assertThat(data.tokens()).isEqualTo(TokenCounts.of(14, 0));
        assertThat(data.usageSource()).isEqualTo(UsageSource.ESTIMATED);
    }

    private UsageRecorder.Measured measure(Status status, ResponseUsage response) {
        FinishedRequest request = new FinishedRequest("req-1", ARRIVED, KEY, MeteredApi.CHAT_COMPLETIONS, "gpt-4o",
                REQUEST, 0, false, "simulator", status, 200, 42, 7L, response);
        return UsageRecorder.measure(request, estimator);
    }
}

package io.tollbooth.usage.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageData.UsageSource;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageEventCodecTest {

    private static final Instant STARTED = Instant.parse("2026-05-11T10:00:00.250Z");

    private static UsageEvent sampleEvent() {
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, "req-42", "client-1", "key-1", "tb_ab12",
                "chat.completions", "gpt-4o", "gpt-4o-2024-08-06", "sim", true, Status.OK, UsageSource.REPORTED,
                new TokenCounts(239, 15_872, 0, 2, 0), 120, 35L);
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest("req-42"), STARTED, data);
    }

    @Test
    void writesACloudEventsEnvelopeKeyedByClient() {
        String json = UsageEventCodec.toJson(sampleEvent());

        assertThat(json).startsWith("{\"specversion\":\"1.0\",\"type\":\"io.tollbooth.usage.v1\","
                + "\"source\":\"tollbooth-gateway\",\"id\":\"usage-req-42\",\"time\":\"2026-05-11T10:00:00.250Z\","
                + "\"subject\":\"client-1\",\"datacontenttype\":\"application/json\"");
        assertThat(json).contains("\"tokens\":{\"input\":239,\"cachedInput\":15872,\"cacheWrite\":0,"
                + "\"output\":2,\"reasoning\":0}");
    }

    @Test
    void readsBackWhatItWrites() {
        UsageEvent event = sampleEvent();

        assertThat(UsageEventCodec.decode(UsageEventCodec.encode(event))).isEqualTo(event);
    }

    @Test
    void ignoresFieldsAddedLaterInTheSameVersion() {
        String json = UsageEventCodec.toJson(sampleEvent()).replace("\"stream\":true", "\"stream\":true,\"new\":7");

        assertThat(UsageEventCodec.decode(json.getBytes(StandardCharsets.UTF_8)).data().tokens().cachedInput())
                .isEqualTo(15_872);
    }

    @Test
    void carriesTheOptionalAudioSecondsReportedCostAndRejectionReason() {
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, "req-43", "client-1", "key-1", "tb_ab12",
                "audio.transcriptions", "whisper-1", null, "sim", false, Status.REJECTED, UsageSource.REPORTED,
                TokenCounts.ZERO, 80, 12L, new BigDecimal("27.4"), new BigDecimal("0.00000812"),
                "cached_tokens 384 > prompt_tokens 127");
        UsageEvent event = UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest("req-43"), STARTED, data);

        String json = UsageEventCodec.toJson(event);

        assertThat(json).contains("\"audioSeconds\":27.4,\"reportedCost\":0.00000812,"
                + "\"rejectionReason\":\"cached_tokens 384 > prompt_tokens 127\"");
        assertThat(UsageEventCodec.decode(UsageEventCodec.encode(event))).isEqualTo(event);
        assertThat(UsageEventCodec.toJson(sampleEvent())).doesNotContain("audioSeconds", "reportedCost",
                "rejectionReason");
    }

    @Test
    void carriesTheOptionalUpstreamAttemptsOfAFallback() {
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, "req-44", "client-1", "key-1", "tb_ab12",
                "chat.completions", "gpt-4o", "gpt-4o", "cloud-b", false, Status.OK, UsageSource.REPORTED,
                TokenCounts.of(300, 50), 90, 40L, null, null, null,
                List.of(new UpstreamAttempt("local-a", 500, "backend_status"),
                        new UpstreamAttempt("cloud-b", 200, "answered")));
        UsageEvent event = UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest("req-44"), STARTED, data);

        String json = UsageEventCodec.toJson(event);

        assertThat(json).contains("\"attempts\":[{\"backend\":\"local-a\",\"httpStatus\":500,"
                + "\"outcome\":\"backend_status\"},{\"backend\":\"cloud-b\",\"httpStatus\":200,"
                + "\"outcome\":\"answered\"}]");
        assertThat(UsageEventCodec.decode(UsageEventCodec.encode(event))).isEqualTo(event);
        assertThat(UsageEventCodec.toJson(sampleEvent())).doesNotContain("attempts");
    }

    @Test
    void refusesAnUnknownVersion() {
        String json = UsageEventCodec.toJson(sampleEvent()).replace("\"schemaVersion\":1", "\"schemaVersion\":2");

        assertThatThrownBy(() -> UsageEventCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UsageEventCodec.MalformedUsageEventException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    void refusesBytesThatAreNotJson() {
        assertThatThrownBy(() -> UsageEventCodec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UsageEventCodec.MalformedUsageEventException.class);
    }

    @Test
    void keepsReasoningInsideOutput() {
        TokenCounts counts = new TokenCounts(17, 0, 0, 482, 448);

        assertThat(counts.total()).isEqualTo(499);
        assertThatThrownBy(() -> new TokenCounts(1, 0, 0, 10, 11)).isInstanceOf(IllegalArgumentException.class);
    }
}

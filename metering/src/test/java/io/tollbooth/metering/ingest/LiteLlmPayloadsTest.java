package io.tollbooth.metering.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * LiteLLM's logging payloads read into usage events, from the shared fixtures beside the checkout; each test is
 * skipped when its fixture is absent.
 */
class LiteLlmPayloadsTest {

    private static final UUID CLIENT = UUID.fromString("00000000-0000-0000-0000-0000000000d1");
    private static final Path FIXTURES = Path.of(System.getProperty("tollbooth.root", "."), "..", "shared",
            "fixtures");

    @Test
    void readsAProxyPayloadWithItsModelGroupTokensAndEpochTimes() throws IOException {
        UsageEvent event = LiteLlmPayloads.toUsageEvent(json(
                "litellm/litellm_standard_logging_payload_proxy_bedrock_captured.json"), CLIENT);

        assertThat(event.source()).isEqualTo("litellm");
        assertThat(event.id()).isEqualTo("chatcmpl-fa9be5b7-9487-46ab-86de-6462d578fea1");
        assertThat(event.time()).isEqualTo(Instant.ofEpochSecond(1_750_615_148L, 162_725_000));
        UsageData data = event.data();
        assertThat(data.requestedModel()).isEqualTo("claude-3-7-sonnet");
        assertThat(data.tokens()).isEqualTo(new TokenCounts(14, 0, 0, 67, 0));
        assertThat(data.latencyMs()).isEqualTo(237);
        assertThat(data.reportedCost()).isEqualByComparingTo("0.001047");
        assertThat(data.stream()).isTrue();
        assertThat(data.status()).isEqualTo(UsageData.Status.OK);
    }

    @Test
    void readsAnSdkPayloadWithStringTimesAndNoUsageObject() throws IOException {
        UsageEvent event = LiteLlmPayloads.toUsageEvent(json(
                "litellm/litellm_standard_logging_payload_gcs_pubsub_test_fixture.json"), CLIENT);

        assertThat(event.time()).isEqualTo(Instant.parse("2025-01-24T09:20:46.847371Z"));
        assertThat(event.data().requestedModel()).isEqualTo("gpt-4o");
        assertThat(event.data().tokens()).isEqualTo(TokenCounts.of(10, 20));
    }

    @Test
    void case9TakesCacheReadsAndWritesOutOfTheOpenAiShapedPromptCount() throws IOException {
        JsonNode capture = json("issue_captures/litellm_anthropic_bedrock_usage_object_cache_fields.json");
        ObjectNode payload = new ObjectMapper().createObjectNode()
                .put("id", "call-1").put("model", "claude-sonnet").put("startTime", 1_750_615_148L);
        payload.putObject("metadata").set("usage_object", capture.get("usage_object"));

        TokenCounts tokens = LiteLlmPayloads.toUsageEvent(payload, CLIENT).data().tokens();

        assertThat(tokens).isEqualTo(new TokenCounts(10, 66_360, 32_435, 5_120, 1_710));
        assertThat(tokens.promptTotal()).isEqualTo(98_805);
    }

    @Test
    void readsTheCallbackBodyAsAJsonArrayOrAsOneObjectPerLine() throws IOException {
        List<JsonNode> array = LiteLlmPayloads.read(bytes("litellm/litellm_generic_api_post_body_json_array.json"));
        List<JsonNode> lines = LiteLlmPayloads.read(bytes("litellm/litellm_generic_api_post_body.ndjson"));

        assertThat(array).extracting(payload -> payload.get("id").asText())
                .containsExactly("chatcmpl-2299b6a2-82a3-465a-b47c-04e685a2227f",
                        "chatcmpl-fa9be5b7-9487-46ab-86de-6462d578fea1");
        assertThat(lines).isEqualTo(array);
    }

    @Test
    void keepsTheReportedCostExactlyAsLiteLlmSentIt() throws IOException {
        UsageEvent event = LiteLlmPayloads.toUsageEvent(json(
                "litellm/litellm_standard_logging_payload_gcs_pubsub_test_fixture.json"), CLIENT);

        assertThat(event.data().reportedCost()).isEqualTo(new BigDecimal("0.00022500000000000002"));
    }

    static byte[] bytes(String fixture) throws IOException {
        Path path = FIXTURES.resolve(fixture);
        assumeTrue(Files.isRegularFile(path), "fixture not found: " + path);
        return Files.readAllBytes(path);
    }

    private static JsonNode json(String fixture) throws IOException {
        return new ObjectMapper().readTree(bytes(fixture));
    }
}

package io.tollbooth.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollbooth.gateway.sse.SseEventSplitter;
import io.tollbooth.usage.event.TokenCounts;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamMeterTest {

    private static final String ROLE = chunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]",
            "null");
    private static final String HELLO = chunk("[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]", "null");
    private static final String FINISH = chunk("[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]", "null");
    private static final String USAGE_ONLY = chunk("[]", "{\"prompt_tokens\":12,\"completion_tokens\":2,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":4},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}");
    private static final String DONE = "data: [DONE]\n\n";

    @Test
    void withholdsTheUsageChunkFromACallerWhoDidNotAskForIt() {
        StreamMeter meter = new StreamMeter(false);

        List<String> forwarded = meter(meter, ROLE, HELLO, FINISH, USAGE_ONLY, DONE);

        assertThat(forwarded).containsExactly(ROLE, HELLO, FINISH, DONE);
        assertThat(meter.reported()).isEqualTo(new ReportedUsage(12L, 4L, 2L, 0L));
        assertThat(meter.servedModel()).isEqualTo("served-model");
    }

    @Test
    void passesTheUsageChunkToACallerWhoAskedForIt() {
        StreamMeter meter = new StreamMeter(true);

        assertThat(meter(meter, ROLE, HELLO, FINISH, USAGE_ONLY, DONE))
                .containsExactly(ROLE, HELLO, FINISH, USAGE_ONLY, DONE);
    }

    @Test
    void takesUsageFromAChunkWithChoicesAndForwardsThatChunk() {
        String finishWithUsage = chunk("[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]",
                "{\"prompt_tokens\":9,\"completion_tokens\":1}");
        StreamMeter meter = new StreamMeter(false);

        assertThat(meter(meter, ROLE, HELLO, finishWithUsage, DONE)).containsExactly(ROLE, HELLO, finishWithUsage,
                DONE);
        assertThat(meter.reported()).isEqualTo(new ReportedUsage(9L, null, 1L, null));
    }

    @Test
    void takesTheLatestUsageSnapshotInsteadOfAddingThemUp() {
        String first = chunk("[{\"index\":0,\"delta\":{\"content\":\"a\"}}]", "{\"prompt_tokens\":9,"
                + "\"completion_tokens\":1}");
        String second = chunk("[{\"index\":0,\"delta\":{\"content\":\"b\"}}]", "{\"prompt_tokens\":9,"
                + "\"completion_tokens\":2}");
        StreamMeter meter = new StreamMeter(false);

        meter(meter, first, second, DONE);

        assertThat(meter.reported()).isEqualTo(new ReportedUsage(9L, null, 2L, null));
    }

    @Test
    void keepsTheGeneratedTextForAnEstimateWhenNoUsageCame() {
        StreamMeter meter = new StreamMeter(false);

        meter(meter, ROLE, HELLO, chunk("[{\"index\":0,\"delta\":{\"content\":\" world\"}}]", "null"), FINISH, DONE);

        assertThat(meter.reported()).isNull();
        assertThat(meter.generatedText()).isEqualTo("Hello world");
        assertThat(meter.servedModel()).isEqualTo("served-model");
    }

    @Test
    void foldsALongStreamIntoTextAsItGoes() {
        StreamMeter meter = new StreamMeter(false);
        int chunks = StreamMeter.RETAINED_BYTES_BEFORE_FOLD / HELLO.length() * 3;
        for (int i = 0; i < chunks; i++) {
            meter.onEvent(Buffer.buffer(HELLO));
        }

        assertThat(meter.generatedText()).isEqualTo("Hello".repeat(chunks));
    }

    @Test
    void readsCachedTokensFromATerminalChunkWithNonEmptyChoicesCapturedInTheField() throws IOException {
        JsonNode capture = fixture("issue_captures/openai_compat_terminal_chunk_nonempty_choices_with_cached_tokens"
                + ".json");
        StreamMeter meter = new StreamMeter(true);

        meter(meter, splitEvents(capture.path("sse").asText()).toArray(String[]::new));

        assertThat(resolve(meter)).isEqualTo(new TokenCounts(239, 15_872, 0, 2, 0));
    }

    @Test
    void readsCachedTokensFromAnMlxUsageChunkWithNonEmptyChoicesAndWithholdsItUnasked() throws IOException {
        JsonNode capture = fixture("issue_captures/mlx_server_usage_chunk_nonempty_choices.json");
        StreamMeter unasked = new StreamMeter(false);
        StreamMeter asked = new StreamMeter(true);
        String usageChunk = "data: " + capture.path("chunk") + "\n\n";

        // Its only choice is {"index":0,"delta":{}}: it carries nothing but the usage the caller did not ask for.
        assertThat(meter(unasked, usageChunk, DONE)).containsExactly(DONE);
        assertThat(meter(asked, usageChunk, DONE)).containsExactly(usageChunk, DONE);
        assertThat(resolve(unasked)).isEqualTo(new TokenCounts(1, 64, 0, 251, 0));
        assertThat(resolve(asked)).isEqualTo(new TokenCounts(1, 64, 0, 251, 0));
    }

    @Test
    void passesAUsageChunkWhoseChoiceCarriesAFinishReason() {
        StreamMeter meter = new StreamMeter(false);
        String finishWithUsage = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":43,\"completion_tokens\":1}}\n\n";

        assertThat(meter(meter, finishWithUsage, DONE)).containsExactly(finishWithUsage, DONE);
        assertThat(resolve(meter)).isEqualTo(TokenCounts.of(43, 1));
    }

    @Test
    void replaysOpenAiStreamsWithUsageByteForByte() throws IOException {
        assertReplay("openai/openai_chat_stream_include_usage_finish_length.sse", TokenCounts.of(79, 1));
        assertReplay("openai/openai_chat_stream_include_usage_n3_choices.sse", TokenCounts.of(79, 42));
        assertReplay("openai/openai_chat_stream_include_usage_simple_logprobs.sse", TokenCounts.of(9, 2));
        assertReplay("openai/openai_chat_stream_include_usage_tool_calls.sse", TokenCounts.of(44, 16));
    }

    @Test
    void readsTheUsageOfAWholeOpenAiCompletion() throws IOException {
        WholeResponse response = new WholeResponse(MeteredApi.CHAT_COMPLETIONS, Buffer.buffer(Files.readAllBytes(
                fixturePath("openai/openai_chat_completion_spec_example.json"))));

        assertThat(UsageResolver.resolve(response.reported(), () -> 0, () -> 0).tokens())
                .isEqualTo(TokenCounts.of(19, 10));
        assertThat(response.servedModel()).isEqualTo("gpt-5.4");
        assertThat(response.generatedText()).isEqualTo("Hello! How can I assist you today?");
    }

    /**
     * Feeds a captured stream in 7-byte chunks, as a caller who asked for usage (everything passes) and as one who
     * did not (only the usage chunk is taken out), and checks the counts.
     */
    private static void assertReplay(String name, TokenCounts expected) throws IOException {
        String stream = Files.readString(fixturePath(name));
        for (boolean clientWantsUsage : new boolean[] {true, false}) {
            StreamMeter meter = new StreamMeter(clientWantsUsage);
            SseEventSplitter splitter = new SseEventSplitter();
            StringBuilder forwarded = new StringBuilder();
            for (int at = 0; at < stream.length(); at += 7) {
                splitter.feed(Buffer.buffer(stream.substring(at, Math.min(stream.length(), at + 7))), event -> {
                    if (meter.onEvent(event)) {
                        forwarded.append(event);
                    }
                });
            }
            assertThat(splitter.finish()).isNull();
            String usageChunk = stream.substring(stream.lastIndexOf("data: {", stream.indexOf("\"usage\":{")),
                    stream.indexOf("data: [DONE]"));
            assertThat(forwarded.toString()).as(name)
                    .isEqualTo(clientWantsUsage ? stream : stream.replace(usageChunk, ""));
            assertThat(resolve(meter)).as(name).isEqualTo(expected);
        }
    }

    private static TokenCounts resolve(StreamMeter meter) {
        return UsageResolver.resolve(meter.reported(), () -> 0, () -> 0).tokens();
    }

    private static List<String> meter(StreamMeter meter, String... events) {
        List<String> forwarded = new ArrayList<>();
        for (String event : events) {
            if (meter.onEvent(Buffer.buffer(event))) {
                forwarded.add(event);
            }
        }
        return forwarded;
    }

    private static List<String> splitEvents(String sse) {
        List<String> events = new ArrayList<>();
        SseEventSplitter splitter = new SseEventSplitter();
        splitter.feed(Buffer.buffer(sse), event -> events.add(event.toString()));
        return events;
    }

    private static String chunk(String choices, String usage) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"served-model\",\"choices\":"
                + choices + ",\"usage\":" + usage + "}\n\n";
    }

    /** A wire capture from the shared fixtures, read in place; the test is skipped where they are absent. */
    private static JsonNode fixture(String name) throws IOException {
        return new ObjectMapper().readTree(fixturePath(name).toFile());
    }

    private static Path fixturePath(String name) {
        Path path = Path.of(System.getProperty("tollbooth.root", "."), "..", "shared", "fixtures", name);
        assumeTrue(Files.isRegularFile(path), "shared fixture " + path + " is absent beside the checkout");
        return path;
    }
}

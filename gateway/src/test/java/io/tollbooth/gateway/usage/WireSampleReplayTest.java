package io.tollbooth.gateway.usage;

import static io.tollbooth.gateway.testing.WireSamples.sharedBytes;
import static io.tollbooth.gateway.testing.WireSamples.sharedJson;
import static io.tollbooth.gateway.testing.WireSamples.sharedText;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.CaptureSeed;
import io.tollbooth.gateway.testing.RawHttp;
import io.tollbooth.gateway.testing.Replayed;
import io.tollbooth.gateway.testing.Replays;
import io.tollbooth.gateway.testing.UsageTopic;
import io.tollbooth.gateway.testing.WireSamples;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageData.UsageSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every wire sample in the shared fixtures, replayed byte for byte by the simulator as the gateway's backend: the
 * caller receives exactly the bytes the backend sent (less the usage chunk the gateway asked for on its behalf), and
 * the one usage event in Kafka carries the exact counts the sample reports, each token kind apart.
 *
 * <p>Samples from vendors' documentation that are not strict JSON (an elided array, {@code //} comments) are made
 * strict first ({@link WireSamples#strictJson}); samples quoted in issues as a usage object or a single chunk are
 * wrapped in the smallest answer that carries them. Files that are not an answer of an API the gateway proxies
 * (schemas, a batch object, Prometheus metrics) are not replayed here.
 */
@QuarkusTest
class WireSampleReplayTest {

    private static final String EVENT_STREAM = "text/event-stream";
    private static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";
    private static final String CHAT = "/v1/chat/completions";
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static final String STREAM_WITH_USAGE = HI + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}";
    private static final String STREAM_WITHOUT_USAGE = HI + ",\"stream\":true";

    @TestHTTPResource("/")
    URL gateway;

    // OpenAI's own streams and answers, captured or from its API reference.

    @Test
    void passesAStreamThatAskedForUsageUnchangedAndMetersItsUsageChunk() {
        Replayed call = chat("gpt-4o", STREAM_WITH_USAGE,
                "openai/openai_chat_stream_include_usage_simple_logprobs.sse");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(9, 0, 0, 2, 0));
        assertThat(call.usage().servedModel()).isEqualTo("gpt-4o-2024-08-06");
    }

    @Test
    void withholdsTheUsageChunkFromAStreamThatDidNotAskForIt() {
        Replayed call = chat("gpt-4o", STREAM_WITHOUT_USAGE,
                "openai/openai_chat_stream_include_usage_simple_logprobs.sse");

        assertThat(call.answer().text()).isEqualTo(withoutUsageChunk(call.wireText()));
        assertThat(call.answer().text()).doesNotContain("\"usage\":{").endsWith("data: [DONE]\n\n");
        assertReported(call, new TokenCounts(9, 0, 0, 2, 0));
    }

    @Test
    void metersOneUsageObjectForThreeChoices() {
        Replayed call = chat("gpt-4o", STREAM_WITH_USAGE, "openai/openai_chat_stream_include_usage_n3_choices.sse");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(79, 0, 0, 42, 0));
    }

    @Test
    void metersAToolCallStream() {
        Replayed call = chat("gpt-4o", STREAM_WITHOUT_USAGE,
                "openai/openai_chat_stream_include_usage_tool_calls.sse");

        assertThat(call.answer().text()).isEqualTo(withoutUsageChunk(call.wireText()));
        assertReported(call, new TokenCounts(44, 0, 0, 16, 0));
    }

    @Test
    void metersAStreamCutAtItsLengthLimit() {
        Replayed call = chat("gpt-4o", STREAM_WITH_USAGE,
                "openai/openai_chat_stream_include_usage_finish_length.sse");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(79, 0, 0, 1, 0));
    }

    @Test
    void splitsTheCachedPartOutOfARecordedStream() {
        Replayed call = recordedStream("gpt-4o", "openai/llamastack_rec_openai_gpt4o_stream_cached_tokens_1024.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(19, 1024, 0, 35, 0));
    }

    @Test
    void keepsReasoningInsideTheOutputOfARecordedStream() {
        Replayed call = recordedStream("o4-mini", "openai/llamastack_rec_openai_o4mini_stream_reasoning_tokens.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(13, 0, 0, 83, 64));
    }

    @Test
    void readsCachedTokensBesideNullCompletionDetails() {
        Replayed call = recordedStream("gpt-4o", "openai/llamastack_rec_bedrock_gptoss_stream_cached_tokens.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(164, 80, 0, 230, 0));
    }

    @Test
    void estimatesAStreamThatCarriesNoUsageAtAll() {
        String chunks = Arrays.stream(sharedText("openai/openai_chat_stream_spec_example_no_usage.txt")
                        .split("\n"))
                .filter(line -> line.startsWith("{"))
                .map(line -> "data: " + line + "\n\n")
                .collect(Collectors.joining()) + "data: [DONE]\n\n";
        Replayed call = replay(CHAT, "gpt-4o", STREAM_WITHOUT_USAGE, "openai_chat_stream_spec_example_no_usage",
                chunks.getBytes(StandardCharsets.UTF_8), EVENT_STREAM);

        assertUnchanged(call);
        // jtokkit (o200k_base): the prompt with OpenAI's chat framing, 3 + (3 + "user" 1 + "hi" 1), and "Hello".
        assertThat(call.usage().tokens()).isEqualTo(new TokenCounts(8, 0, 0, 1, 0));
        assertThat(call.usage().usageSource()).isEqualTo(UsageSource.ESTIMATED);
        assertThat(call.usage().status()).isEqualTo(Status.OK);
    }

    @Test
    void metersTheReferenceChatCompletion() {
        Replayed call = whole(CHAT, "gpt-4o", HI, "openai/openai_chat_completion_spec_example.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(19, 0, 0, 10, 0));
        assertThat(call.usage().servedModel()).isEqualTo("gpt-5.4");
    }

    @Test
    void metersTheReferenceCompletion() {
        Replayed call = whole("/v1/completions", "gpt-4o", "\"prompt\":\"Say this is a test\"",
                "openai/openai_completions_response_spec_example.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(5, 0, 0, 7, 0));
        assertThat(call.usage().endpoint()).isEqualTo("completions");
    }

    @Test
    void metersRecordedEmbeddingsWithNoOutput() {
        Replayed call = recordedWhole("/v1/embeddings", "text-embedding-3-small", "\"input\":\"revenue\"",
                "openai/llamastack_rec_openai_embeddings_3small.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(17, 0, 0, 0, 0));
        assertThat(call.usage().endpoint()).isEqualTo("embeddings");
    }

    @Test
    void metersTheReferenceEmbeddings() {
        byte[] strict = WireSamples.strictJson(sharedText("openai/openai_embeddings_response_spec_example.txt"))
                .getBytes(StandardCharsets.UTF_8);
        Replayed call = replay("/v1/embeddings", "text-embedding-3-small", "\"input\":\"The food was delicious\"",
                "openai_embeddings_response_spec_example", strict, JSON);

        assertUnchanged(call);
        assertReported(call, new TokenCounts(8, 0, 0, 0, 0));
    }

    // OpenAI's Responses API, whose usage is named and nested differently.

    @Test
    void takesAStreamsUsageOnceFromItsCompletedEvent() {
        Replayed call = replay("/v1/responses", "gpt-4o", "\"input\":\"hi\",\"stream\":true",
                "openai_responses_streaming_spec_example",
                sharedBytes("openai/openai_responses_streaming_spec_example.sse"), EVENT_STREAM);

        assertUnchanged(call);
        assertReported(call, new TokenCounts(37, 0, 0, 11, 0));
        assertThat(call.usage().endpoint()).isEqualTo("responses");
    }

    @Test
    void metersTheReferenceTextResponse() {
        Replayed call = whole("/v1/responses", "gpt-4o", "\"input\":\"Tell me a story\"",
                "openai/openai_responses_text_input_spec_example.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(36, 0, 0, 87, 0));
    }

    @Test
    void keepsReasoningInsideTheOutput() {
        Replayed call = whole("/v1/responses", "o4-mini", "\"input\":\"hi\"",
                "openai/openai_responses_reasoning_spec_example.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(81, 0, 0, 1035, 832));
    }

    @Test
    void metersAHostedVllmResponseThatReportsZeroReasoning() {
        Replayed call = replay("/v1/responses", "local-llama", "\"input\":\"hi\"",
                "litellm_responses_api_hosted_vllm_reasoning_zero",
                response(sharedJson("issue_captures/litellm_responses_api_hosted_vllm_reasoning_zero.json")
                        .path("usage")), JSON);

        assertReported(call, new TokenCounts(32, 0, 0, 474, 0));
    }

    @Test
    void rejectsMoreCachedTokensThanInputAndKeepsTheEventForInspection() {
        JsonNode realtime = sharedJson("openai/openai_realtime_response_done_spec_example_cached_gt_input.json")
                .path("event").path("response");
        Replayed call = replay("/v1/responses", "gpt-4o", "\"input\":\"hi\"",
                "openai_realtime_response_done_cached_gt_input",
                realtime.toString().getBytes(StandardCharsets.UTF_8), JSON);

        assertUnchanged(call);
        assertThat(call.usage().status()).isEqualTo(Status.REJECTED);
        assertThat(call.usage().tokens()).isEqualTo(new TokenCounts(0, 384, 0, 148, 0));
        assertThat(call.usage().rejectionReason()).isEqualTo("cached_tokens 384 > prompt_tokens 127");
    }

    // OpenAI transcriptions: a multipart form in, tokens or seconds of audio out.

    @Test
    void metersATranscriptionByTokens() {
        Replayed call = transcribe("gpt-4o-transcribe-tokens", "json",
                sharedBytes("openai/openai_transcription_gpt4o_transcribe_tokens_usage_spec_example.json"), JSON);

        assertUnchanged(call);
        assertReported(call, new TokenCounts(14, 0, 0, 45, 0));
        assertThat(call.usage().audioSeconds()).isNull();
        assertThat(call.usage().endpoint()).isEqualTo("audio.transcriptions");
    }

    @Test
    void metersADiarizedTranscriptionBySeconds() {
        Replayed call = transcribe("gpt-4o-transcribe-diarize", "diarized_json",
                sharedBytes("openai/openai_transcription_diarize_duration_usage_spec_example.json"), JSON);

        assertUnchanged(call);
        assertReported(call, TokenCounts.ZERO);
        assertThat(call.usage().audioSeconds()).isEqualByComparingTo("27");
    }

    @Test
    void metersAVerboseWhisperTranscriptionBySeconds() {
        byte[] strict = WireSamples.strictJson(
                sharedText("openai/openai_transcription_whisper1_verbose_duration_usage_spec_example.txt"))
                .getBytes(StandardCharsets.UTF_8);
        Replayed call = transcribe("whisper-1-verbose", "verbose_json", strict, JSON);

        assertUnchanged(call);
        assertReported(call, TokenCounts.ZERO);
        assertThat(call.usage().audioSeconds()).isEqualByComparingTo("9");
    }

    @Test
    void metersAStreamedTranscriptionFromItsDoneEvent() {
        Replayed call = transcribe("gpt-4o-mini-transcribe-stream", "json",
                sharedBytes("openai/openai_transcription_stream_done_event_usage_spec_example.sse"),
                EVENT_STREAM);

        assertUnchanged(call);
        assertReported(call, new TokenCounts(14, 0, 0, 45, 0));
    }

    // vLLM's OpenAI-compatible server.

    @Test
    void metersARecordedStreamWithNullPromptDetails() {
        Replayed call = recordedStream("local-llama", "vllm/llamastack_rec_vllm_qwen3_chat_stream_usage_trimmed.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(107, 0, 0, 271, 0));
    }

    @Test
    void metersVllmsARecordedChatCompletion() {
        Replayed call = recordedWhole(CHAT, "local-llama", HI, "vllm/llamastack_rec_vllm_qwen3_chat_nonstream.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(193, 0, 0, 144, 0));
    }

    @Test
    void metersVllmsARecordedCompletion() {
        Replayed call = recordedWhole("/v1/completions", "local-llama", "\"prompt\":\"I am feeling sad.\"",
                "vllm/llamastack_rec_vllm_qwen3_completions_nonstream.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(7, 0, 0, 2, 0));
    }

    @Test
    void takesTheLatestOfUsagesRepeatedOnEveryChunkWithoutAddingThemUp() {
        // The two chunks quoted (as Python objects) in the capture, as vLLM sent them with continuous usage.
        String chunks = "data: {\"id\":\"chat-2487a8a959e2480081550c5c25694def\",\"choices\":[{\"delta\":"
                + "{\"content\":null,\"role\":\"assistant\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],"
                + "\"created\":1723032007,\"model\":\"meta-llama/Meta-Llama-3-8B-Instruct\",\"object\":"
                + "\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":0,\"prompt_tokens\":16,"
                + "\"total_tokens\":16}}\n\n"
                + "data: {\"id\":\"chat-2487a8a959e2480081550c5c25694def\",\"choices\":[{\"delta\":"
                + "{\"content\":\"!\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],"
                + "\"created\":1723032007,\"model\":\"meta-llama/Meta-Llama-3-8B-Instruct\",\"object\":"
                + "\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":1,\"prompt_tokens\":16,"
                + "\"total_tokens\":17}}\n\n"
                + "data: [DONE]\n\n";
        assertThat(sharedText("issue_captures/vllm_usage_on_every_chunk_python_repr.json"))
                .contains("usage=CompletionUsage(completion_tokens=0, prompt_tokens=16, total_tokens=16)")
                .contains("usage=CompletionUsage(completion_tokens=1, prompt_tokens=16, total_tokens=17)");
        Replayed call = replay(CHAT, "local-llama", STREAM_WITH_USAGE, "vllm_usage_on_every_chunk",
                chunks.getBytes(StandardCharsets.UTF_8), EVENT_STREAM);

        assertUnchanged(call);
        assertReported(call, new TokenCounts(16, 0, 0, 1, 0));
    }

    @Test
    void keepsReasoningInsideTheOutputWhenPromptDetailsAreNull() {
        Replayed call = replay(CHAT, "local-llama", HI, "vllm_ascend_prompt_tokens_details_null",
                chatCompletion(sharedJson(
                        "issue_captures/vllm_ascend_usage_prompt_tokens_details_null_with_reasoning.json")
                        .path("usage")), JSON);

        assertReported(call, new TokenCounts(25, 0, 0, 1024, 428));
    }

    // Ollama, on its OpenAI-compatible /v1 API and its native /api.

    @Test
    void metersARecordedToolCallStream() {
        Replayed call = recordedStream("local-llama", "ollama/llamastack_rec_ollama_v1_chat_stream_usage.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(179, 0, 0, 14, 0));
    }

    @Test
    void metersOllamasARecordedChatCompletion() {
        Replayed call = recordedWhole(CHAT, "local-llama", HI, "ollama/llamastack_rec_ollama_v1_chat_nonstream.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(31, 0, 0, 151, 0));
    }

    @Test
    void metersOllamasARecordedCompletion() {
        Replayed call = recordedWhole("/v1/completions", "local-llama", "\"prompt\":\"Roses are red\"",
                "ollama/llamastack_rec_ollama_v1_completions_nonstream.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(50, 0, 0, 73, 0));
    }

    @Test
    void metersRecordedEmbeddingsOfOneInputAndOfThree() {
        Replayed single = recordedWhole("/v1/embeddings", "local-llama", "\"input\":\"Test encoding format\"",
                "ollama/llamastack_rec_ollama_v1_embeddings_single.json");
        Replayed multi = recordedWhole("/v1/embeddings", "local-llama", "\"input\":[\"a\",\"b\",\"c\"]",
                "ollama/llamastack_rec_ollama_v1_embeddings_multi_input.json");

        assertUnchanged(single);
        assertReported(single, new TokenCounts(3, 0, 0, 0, 0));
        assertUnchanged(multi);
        assertReported(multi, new TokenCounts(14, 0, 0, 0, 0));
    }

    @Test
    void metersANativeChatStreamFromItsLastLine() {
        Replayed call = replay("/api/chat", "local-llama", HI, "ollama_api_chat_stream_docs_example",
                sharedBytes("ollama/ollama_api_chat_stream_docs_example.ndjson"), NDJSON);

        assertUnchanged(call);
        assertReported(call, new TokenCounts(26, 0, 0, 282, 0));
        assertThat(call.usage().endpoint()).isEqualTo("ollama.chat");
        assertThat(call.usage().stream()).isTrue();
    }

    @Test
    void metersNativeChatAnswers() {
        Replayed chat = whole("/api/chat", "local-llama", HI + ",\"stream\":false",
                "ollama/ollama_api_chat_nonstream_docs_example.json");
        Replayed tools = whole("/api/chat", "local-llama", HI + ",\"stream\":false",
                "ollama/ollama_api_chat_tools_nonstream_docs_example.json");

        assertUnchanged(chat);
        assertReported(chat, new TokenCounts(26, 0, 0, 298, 0));
        assertUnchanged(tools);
        assertReported(tools, new TokenCounts(122, 0, 0, 33, 0));
    }

    @Test
    void metersNativeGenerations() {
        Replayed text = whole("/api/generate", "local-llama", "\"prompt\":\"Why is the sky blue?\",\"stream\":false",
                "ollama/ollama_api_generate_nonstream_docs_example.json");
        Replayed image = whole("/api/generate", "local-llama", "\"prompt\":\"What is in this picture?\","
                + "\"stream\":false", "ollama/ollama_api_generate_llava_prompt_eval_count_1_docs_example.json");

        assertUnchanged(text);
        assertReported(text, new TokenCounts(26, 0, 0, 290, 0));
        assertThat(text.usage().endpoint()).isEqualTo("ollama.generate");
        assertUnchanged(image);
        assertReported(image, new TokenCounts(1, 0, 0, 44, 0));
    }

    @Test
    void metersNativeEmbeddingsAndEstimatesTheOneWithoutACount() {
        Replayed counted = whole("/api/embed", "local-llama", "\"input\":\"Why is the sky blue?\"",
                "ollama/ollama_api_embed_prompt_eval_count_docs_example.json");
        Replayed uncounted = whole("/api/embed", "local-llama",
                "\"input\":[\"Why is the sky blue?\",\"Why is the grass green?\"]",
                "ollama/ollama_api_embed_multi_input_no_counts_docs_example.json");

        assertUnchanged(counted);
        assertReported(counted, new TokenCounts(8, 0, 0, 0, 0));
        assertThat(counted.usage().endpoint()).isEqualTo("ollama.embed");
        assertUnchanged(uncounted);
        // jtokkit (o200k_base) on the two inputs: 6 + 6 tokens; an embedding has no output.
        assertThat(uncounted.usage().tokens()).isEqualTo(new TokenCounts(12, 0, 0, 0, 0));
        assertThat(uncounted.usage().usageSource()).isEqualTo(UsageSource.ESTIMATED);
    }

    @Test
    void billsNobodyForAModelLoad() {
        RawHttp.Answer load = Replayed.send(gateway, "/api/chat", "{\"model\":\"local-llama\",\"messages\":[]}",
                "ollama_api_chat_load_model",
                sharedBytes("ollama/ollama_api_chat_load_model_no_token_counts_docs_example.json"), JSON);
        Replayed marker = whole("/api/chat", "local-llama", HI + ",\"stream\":false",
                "ollama/ollama_api_chat_nonstream_docs_example.json");

        assertThat(load.status()).isEqualTo(200);
        assertThat(load.body()).isEqualTo(
                sharedBytes("ollama/ollama_api_chat_load_model_no_token_counts_docs_example.json"));
        assertThat(marker.usage()).isNotNull();
        assertThat(UsageTopic.get().eventsOf(load.requestId())).isEmpty();
    }

    // llama.cpp's llama-server.

    @Test
    void takesUsageFromTheFinishChunkOfTheLegacyLayout() {
        Replayed call = chat("local-llama", STREAM_WITHOUT_USAGE,
                "llamacpp/llamacpp_v1_chat_stream_legacy_finish_chunk_usage_timings_b4764.sse");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(43, 0, 0, 1, 0));
    }

    @Test
    void countsFromTheLatestTimingsWhenNoUsageComes() {
        Replayed call = chat("local-llama", STREAM_WITH_USAGE,
                "llamacpp/llamacpp_v1_chat_stream_midstream_chunks_timings_per_token_b9554.sse");

        assertUnchanged(call);
        // The last chunk's cumulative timings: prompt_n 10 + cache_n 7, predicted_n 49 (never 48 + 49).
        assertReported(call, new TokenCounts(10, 7, 0, 49, 0));
    }

    @Test
    void countsFromTheTimingsOfTheReadmesFinalChunk() {
        String sample = sharedText("llamacpp/llamacpp_v1_chat_readme_timings_usage_example.txt");
        String finalChunk = WireSamples.strictJson(WireSamples.snippet(sample, 1));
        String stream = "data: " + finalChunk.replaceAll("\\s*\n\\s*", "") + "\n\ndata: [DONE]\n\n";
        Replayed call = replay(CHAT, "local-llama", STREAM_WITHOUT_USAGE, "llamacpp_readme_timings",
                stream.getBytes(StandardCharsets.UTF_8), EVENT_STREAM);

        assertUnchanged(call);
        assertReported(call, new TokenCounts(1, 236, 0, 35, 0));
    }

    @Test
    void metersTheReadmesUsageObject() {
        String sample = sharedText("llamacpp/llamacpp_v1_chat_readme_timings_usage_example.txt");
        JsonNode usage = readJson(WireSamples.strictJson(WireSamples.snippet(sample, 2))).path("usage");
        Replayed call = replay(CHAT, "local-llama", HI, "llamacpp_readme_usage", chatCompletion(usage), JSON);

        assertReported(call, new TokenCounts(44, 0, 0, 48, 0));
    }

    @Test
    void metersADocumentedToolCallAnswer() {
        Replayed call = whole(CHAT, "local-llama", HI,
                "llamacpp/llamacpp_v1_chat_nonstream_tool_call_docs_example_no_timings.json");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(44, 0, 0, 16, 0));
    }

    // Anthropic's Messages API, whose counters are cumulative and whose input leaves the cache out.

    @Test
    void takesTheDeltasOutputInsteadOfAddingItToTheStarts() {
        Replayed call = messages("anthropic/anthropic_stream_basic_text.sse");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(11, 0, 0, 6, 0));
        assertThat(call.usage().endpoint()).isEqualTo("messages");
    }

    @Test
    void takesTheLatestOfEveryCumulativeCacheCounter() {
        Replayed call = messages("anthropic/anthropic_stream_message_delta_cumulative_cache_fields.sse");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(40, 7, 12, 8, 3));
    }

    @Test
    void ignoresUsageFieldsItDoesNotKnow() {
        Replayed call = messages("anthropic/anthropic_stream_message_delta_extra_usage_field.sse");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(25, 0, 0, 8, 0));
    }

    @Test
    void takesEveryCounterFromTheDeltaWhenTheStartHasNone() {
        Replayed call = messages("anthropic/anthropic_stream_missing_usage_in_message_start.sse");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(11, 5, 3, 1, 0));
    }

    @Test
    void metersAToolUseStream() {
        Replayed call = messages("anthropic/anthropic_stream_tool_use_with_cache_fields.sse");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(377, 0, 0, 65, 0));
    }

    @Test
    void metersAStreamWhoseOnlyUsageIsInTheDelta() {
        Replayed call = messages("anthropic/anthropic_stream_usage_only_in_message_delta.sse");

        assertUnchanged(call);
        assertReported(call, new TokenCounts(12, 3, 4, 6, 2));
    }

    @Test
    void takesTheDocumentedCumulativeOutputOnce() {
        byte[] sse = sharedJson("issue_captures/anthropic_stream_docs_example_output_tokens_cumulative.sse.json")
                .path("sse").asText().getBytes(StandardCharsets.UTF_8);
        Replayed call = replayMessages("anthropic_docs_output_cumulative", sse);

        assertUnchanged(call);
        assertReported(call, new TokenCounts(25, 0, 0, 15, 0));
    }

    private Replayed chat(String model, String fields, String sample) {
        return replay(CHAT, model, fields, replayName(sample), sharedBytes(sample), EVENT_STREAM);
    }

    /** A llama-stack recording of a stream: its chunks as the server-sent events they were. */
    private Replayed recordedStream(String model, String recording) {
        String sse = WireSamples.sseOfChunks(sharedJson(recording).path("response"));
        return replay(CHAT, model, STREAM_WITH_USAGE, replayName(recording), sse.getBytes(StandardCharsets.UTF_8),
                EVENT_STREAM);
    }

    /** A llama-stack recording of a whole answer: its response body. */
    private Replayed recordedWhole(String path, String model, String fields, String recording) {
        byte[] body = sharedJson(recording).path("response").toString().getBytes(StandardCharsets.UTF_8);
        return replay(path, model, fields, replayName(recording), body, JSON);
    }

    private Replayed whole(String path, String model, String fields, String sample) {
        return replay(path, model, fields, replayName(sample), sharedBytes(sample), JSON);
    }

    private Replayed messages(String sample) {
        return replayMessages(replayName(sample), sharedBytes(sample));
    }

    /** An Anthropic stream, called as Anthropic's SDK calls: {@code x-api-key} and {@code anthropic-version}. */
    private Replayed replayMessages(String name, byte[] sse) {
        return replay("/v1/messages", "claude-sonnet", "\"max_tokens\":1024," + HI + ",\"stream\":true", name, sse,
                EVENT_STREAM, "x-api-key", CaptureSeed.KEY.secret(), "anthropic-version", "2023-06-01");
    }

    private Replayed replay(String path, String model, String fields, String name, byte[] wire, String wireType,
            String... headers) {
        Replayed call = Replayed.call(gateway, path, "{\"model\":\"" + model + "\"," + fields + "}", name, wire,
                wireType, headers);
        assertThat(call.answer().status()).isEqualTo(200);
        assertThat(UsageTopic.get().eventsOf(call.answer().requestId())).hasSize(1);
        return call;
    }

    /** A transcription: a multipart form with a few bytes of audio, answered by {@code wire}. */
    private Replayed transcribe(String name, String responseFormat, byte[] wire, String wireType) {
        CaptureSeed.ensure();
        Replays.register(name, wire, wireType);
        String boundary = "tollbooth-boundary-7d1";
        String form = part(boundary, "model", "whisper-1") + part(boundary, "response_format", responseFormat)
                + part(boundary, "simulation", "{\"replay\":\"" + name + "\"}")
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\nRIFF....WAVE\r\n--" + boundary + "--\r\n";
        RawHttp.Answer answer = RawHttp.send(URI.create(gateway.toString().replaceAll("/$", "")
                        + "/v1/audio/transcriptions"), "multipart/form-data; boundary=" + boundary,
                form.getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + CaptureSeed.KEY.secret());
        assertThat(answer.status()).isEqualTo(200);
        UsageData data = UsageTopic.get().awaitEventOf(answer.requestId()).event().data();
        return new Replayed(answer, wire, data);
    }

    private static String part(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    /** The smallest chat completion that carries {@code usage}, as a server would send it. */
    private static byte[] chatCompletion(JsonNode usage) {
        return ("{\"id\":\"chatcmpl-replay\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"replayed\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":" + usage + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The smallest Responses API response that carries {@code usage}. */
    private static byte[] response(JsonNode usage) {
        return ("{\"id\":\"resp_replay\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"replayed\","
                + "\"output\":[{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
                + "\"text\":\"Hello\"}]}],\"usage\":" + usage + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The stream less its usage-only events ({@code "choices":[]} with a usage object). */
    static String withoutUsageChunk(String sse) {
        return Arrays.stream(sse.split("(?<=\n\n)"))
                .filter(event -> !(event.contains("\"choices\":[]") && event.contains("\"usage\":{")))
                .collect(Collectors.joining());
    }

    private static String replayName(String sample) {
        String file = sample.substring(sample.lastIndexOf('/') + 1);
        return file.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void assertUnchanged(Replayed call) {
        assertThat(call.answer().text()).isEqualTo(call.wireText());
    }

    private static void assertReported(Replayed call, TokenCounts tokens) {
        assertThat(call.usage().tokens()).isEqualTo(tokens);
        assertThat(call.usage().usageSource()).isEqualTo(UsageSource.REPORTED);
        assertThat(call.usage().status()).isEqualTo(Status.OK);
        assertThat(call.usage().rejectionReason()).isNull();
    }

    private static JsonNode readJson(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

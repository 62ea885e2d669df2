package io.tollbooth.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the simulator answers one chat completion, set by the caller in the request body.
 *
 * <p>The plan is an extra top-level JSON object named {@value #FIELD} in the body of
 * {@code POST /v1/chat/completions}, so it passes through a proxy that forwards the body untouched. Every field
 * is optional; a missing or {@code null} field takes its default; unknown fields are ignored; a value of the
 * wrong type or out of range is answered with 400 and OpenAI's error JSON, whose {@code param} names the field
 * (for example {@code simulation.cached_tokens}).
 *
 * <pre>{@code
 * "simulation": {
 *   "completion_tokens": 16,        // int 0..1000000: tokens generated before max_tokens caps them
 *   "cached_tokens": 0,             // int 0..prompt_tokens: usage.prompt_tokens_details.cached_tokens
 *   "reasoning_tokens": 0,          // int 0..completion_tokens: usage.completion_tokens_details
 *                                   //   .reasoning_tokens; a part of completion_tokens, never streamed as content
 *   "first_token_delay_ms": 0,      // int 0..3600000: wait before the first content chunk
 *   "chunk_delay_ms": 0,            // int 0..3600000: wait before each later content chunk and the finish chunk
 *   "status": null,                 // int 400..599: answer with this status and OpenAI's error JSON instead
 *   "omit_usage": false,            // true: never send usage, even when stream_options.include_usage asks
 *   "usage_on_finish_chunk": false, // true: put usage on the finish_reason chunk, with no choices:[] chunk
 *   "served_model": null,           // non-empty string reported as "model" instead of the requested model
 *   "prompt_tokens": null,          // int 0..1000000: reported as usage.prompt_tokens instead of the count
 *   "replay": null                  // name of a registered replay: answer with its bytes instead (see below)
 * }
 * }</pre>
 * The values shown are the defaults; {@code null} means "not set".
 *
 * <p><b>Tokens.</b> The answer generates {@code completion_tokens} tokens, capped by the request's
 * {@code max_completion_tokens} (or else {@code max_tokens}); when capped, {@code finish_reason} is
 * {@code "length"}, otherwise {@code "stop"}. The first {@code reasoning_tokens} of them are hidden reasoning
 * (capped at the tokens actually generated) and the rest are visible content, one deterministic word per token
 * (see {@link SimulatedTokenizer}: the content counts exactly as many tokens as it has words).
 * {@code usage.completion_tokens} is every generated token, reasoning included, and {@code total_tokens} is
 * {@code prompt_tokens + completion_tokens}.
 *
 * <p><b>Timing.</b> A stream sends its headers and the role chunk at once; the first content chunk (or the
 * finish chunk when there is no content) follows {@code first_token_delay_ms} later; every further content chunk
 * and the finish chunk follows {@code chunk_delay_ms} after the one before; the usage chunk and
 * {@code data: [DONE]} follow the finish chunk at once. A non-streaming answer is sent whole at the moment the
 * stream's finish chunk would have been. Delays run on timers and never block the server.
 *
 * <p><b>Failures.</b> With {@code status}, the request is answered at once with that status and an OpenAI error
 * JSON body, and nothing else: no SSE stream even when {@code stream} is true. 429 gets type {@code "requests"}
 * and code {@code "rate_limit_exceeded"}, 5xx type {@code "server_error"}, any other status type
 * {@code "invalid_request_error"}.
 *
 * <p><b>Usage shapes.</b> {@code omit_usage} drops usage from both streaming and non-streaming answers, like a
 * backend that ignores {@code include_usage}. {@code usage_on_finish_chunk} applies only when a stream includes
 * usage: the usage object rides on the chunk carrying {@code finish_reason} (its {@code choices} not empty),
 * every other chunk carries {@code "usage": null}, and no separate {@code choices: []} chunk is sent.
 *
 * <p><b>Replays.</b> With {@code replay}, the request is answered with the exact bytes, status and content type of
 * the replay registered under that name ({@code PUT /_simulator/replays/{name}}, see {@link SimulatorServer}), and
 * the rest of the plan is ignored. A replay can answer any {@code POST} path, so wire samples of every API shape
 * (Responses, Anthropic, Ollama) can be played back through a proxy byte for byte. An unknown name gets 400.
 *
 * <p>Tests build a plan from {@link #DEFAULT} with the {@code with...} methods and send {@link #toJsonMap()}:
 * {@code SimulationPlan.DEFAULT.withCompletionTokens(5).withChunkDelayMs(20).toJsonMap()}.
 *
 * @param completionTokens tokens to generate before {@code max_tokens} caps them
 * @param cachedTokens prompt tokens reported as read from the prompt cache
 * @param reasoningTokens completion tokens reported as reasoning
 * @param firstTokenDelayMs milliseconds before the first content chunk
 * @param chunkDelayMs milliseconds between later chunks up to the finish chunk
 * @param status HTTP status of a simulated failure, or 0 for a normal answer
 * @param omitUsage never report usage
 * @param usageOnFinishChunk report streamed usage on the finish chunk instead of a separate chunk
 * @param servedModel model reported in answers, or {@code null} for the requested model
 * @param promptTokens prompt tokens reported in usage, or {@link #COUNTED} to report the simulator's own count
 * @param replay name of the registered replay that answers instead, or {@code null}
 */
public record SimulationPlan(int completionTokens, int cachedTokens, int reasoningTokens, long firstTokenDelayMs,
        long chunkDelayMs, int status, boolean omitUsage, boolean usageOnFinishChunk, String servedModel,
        int promptTokens, String replay) {

    /** Name of the top-level request field that carries the plan. */
    public static final String FIELD = "simulation";

    /** {@link #promptTokens()} of a plan that reports the prompt tokens the simulator counts. */
    public static final int COUNTED = -1;

    /** Tokens generated when the plan does not say. */
    public static final int DEFAULT_COMPLETION_TOKENS = 16;

    /** The plan of a request that has none: 16 tokens, no cache, no reasoning, no delay, no failure. */
    public static final SimulationPlan DEFAULT =
            new SimulationPlan(DEFAULT_COMPLETION_TOKENS, 0, 0, 0, 0, 0, false, false, null, COUNTED, null);

    /** This plan generating {@code tokens} tokens. */
    public SimulationPlan withCompletionTokens(int tokens) {
        return new SimulationPlan(tokens, cachedTokens, reasoningTokens, firstTokenDelayMs, chunkDelayMs, status,
                omitUsage, usageOnFinishChunk, servedModel, promptTokens, replay);
    }

    /** This plan reporting {@code tokens} prompt tokens as cached. */
    public SimulationPlan withCachedTokens(int tokens) {
        return new SimulationPlan(completionTokens, tokens, reasoningTokens, firstTokenDelayMs, chunkDelayMs, status,
                omitUsage, usageOnFinishChunk, servedModel, promptTokens, replay);
    }

    /** This plan reporting {@code tokens} completion tokens as reasoning. */
    public SimulationPlan withReasoningTokens(int tokens) {
        return new SimulationPlan(completionTokens, cachedTokens, tokens, firstTokenDelayMs, chunkDelayMs, status,
                omitUsage, usageOnFinishChunk, servedModel, promptTokens, replay);
    }

    /** This plan waiting {@code delayMs} milliseconds before the first content chunk. */
    public SimulationPlan withFirstTokenDelayMs(long delayMs) {
        return new SimulationPlan(completionTokens, cachedTokens, reasoningTokens, delayMs, chunkDelayMs, status,
                omitUsage, usageOnFinishChunk, servedModel, promptTokens, replay);
    }

    /** This plan waiting {@code delayMs} milliseconds before each later chunk up to the finish chunk. */
    public SimulationPlan withChunkDelayMs(long delayMs) {
        return new SimulationPlan(completionTokens, cachedTokens, reasoningTokens, firstTokenDelayMs, delayMs,
                status, omitUsage, usageOnFinishChunk, servedModel, promptTokens, replay);
    }

    /** This plan failing with HTTP status {@code httpStatus} (400..599). */
    public SimulationPlan withStatus(int httpStatus) {
        return new SimulationPlan(completionTokens, cachedTokens, reasoningTokens, firstTokenDelayMs, chunkDelayMs,
                httpStatus, omitUsage, usageOnFinishChunk, servedModel, promptTokens, replay);
    }

    /** This plan never reporting usage. */
    public SimulationPlan withOmitUsage(boolean omit) {
        return new SimulationPlan(completionTokens, cachedTokens, reasoningTokens, firstTokenDelayMs, chunkDelayMs,
                status, omit, usageOnFinishChunk, servedModel, promptTokens, replay);
    }

    /** This plan streaming usage on the finish chunk instead of a separate {@code choices: []} chunk. */
    public SimulationPlan withUsageOnFinishChunk(boolean onFinishChunk) {
        return new SimulationPlan(completionTokens, cachedTokens, reasoningTokens, firstTokenDelayMs, chunkDelayMs,
                status, omitUsage, onFinishChunk, servedModel, promptTokens, replay);
    }

    /** This plan reporting {@code model} as the model that answered. */
    public SimulationPlan withServedModel(String model) {
        return new SimulationPlan(completionTokens, cachedTokens, reasoningTokens, firstTokenDelayMs, chunkDelayMs,
                status, omitUsage, usageOnFinishChunk, model, promptTokens, replay);
    }

    /** This plan reporting {@code tokens} prompt tokens, whatever the messages count. */
    public SimulationPlan withPromptTokens(int tokens) {
        return new SimulationPlan(completionTokens, cachedTokens, reasoningTokens, firstTokenDelayMs, chunkDelayMs,
                status, omitUsage, usageOnFinishChunk, servedModel, tokens, replay);
    }

    /** This plan answered by the replay registered as {@code name}. */
    public SimulationPlan withReplay(String name) {
        return new SimulationPlan(completionTokens, cachedTokens, reasoningTokens, firstTokenDelayMs, chunkDelayMs,
                status, omitUsage, usageOnFinishChunk, servedModel, promptTokens, name);
    }

    /**
     * The plan as the JSON object to send in field {@value #FIELD}, holding only the fields that differ from
     * {@link #DEFAULT}; for example as an additional body property of an OpenAI SDK request.
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        putIf(json, completionTokens != DEFAULT_COMPLETION_TOKENS, "completion_tokens", completionTokens);
        putIf(json, cachedTokens != 0, "cached_tokens", cachedTokens);
        putIf(json, reasoningTokens != 0, "reasoning_tokens", reasoningTokens);
        putIf(json, firstTokenDelayMs != 0, "first_token_delay_ms", firstTokenDelayMs);
        putIf(json, chunkDelayMs != 0, "chunk_delay_ms", chunkDelayMs);
        putIf(json, status != 0, "status", status);
        putIf(json, omitUsage, "omit_usage", true);
        putIf(json, usageOnFinishChunk, "usage_on_finish_chunk", true);
        putIf(json, servedModel != null, "served_model", servedModel);
        putIf(json, promptTokens != COUNTED, "prompt_tokens", promptTokens);
        putIf(json, replay != null, "replay", replay);
        return json;
    }

    private static void putIf(Map<String, Object> json, boolean condition, String name, Object value) {
        if (condition) {
            json.put(name, value);
        }
    }
}

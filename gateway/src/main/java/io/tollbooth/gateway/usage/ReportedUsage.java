package io.tollbooth.gateway.usage;

import java.math.BigDecimal;

/**
 * The counters of a backend's usage report, as it sent them: a snapshot of the whole request so far, never a
 * delta. A counter the backend left out is null. Whether {@code promptTokens} includes the cached and
 * cache-written tokens depends on the API ({@link MeteredApi#promptExcludesCache()}).
 *
 * @param promptTokens OpenAI {@code prompt_tokens} or {@code input_tokens}, Anthropic {@code input_tokens}, Ollama
 *     {@code prompt_eval_count}
 * @param cachedTokens prompt tokens read from the prompt cache ({@code prompt_tokens_details.cached_tokens},
 *     {@code input_tokens_details.cached_tokens}, Anthropic {@code cache_read_input_tokens})
 * @param cacheWriteTokens prompt tokens written into the prompt cache ({@code cache_write_tokens},
 *     {@code cache_creation_tokens}, Anthropic {@code cache_creation_input_tokens})
 * @param completionTokens every generated token, reasoning included ({@code completion_tokens},
 *     {@code output_tokens}, Ollama {@code eval_count})
 * @param reasoningTokens the reasoning part of the completion ({@code reasoning_tokens}, Anthropic
 *     {@code thinking_tokens})
 * @param audioSeconds seconds of audio metered by duration (a transcription's {@code usage.seconds}), or null
 * @param cost a cost the backend reported itself ({@code usage.cost}), kept for information only, or null
 */
public record ReportedUsage(Long promptTokens, Long cachedTokens, Long cacheWriteTokens, Long completionTokens,
        Long reasoningTokens, BigDecimal audioSeconds, BigDecimal cost) {

    /** OpenAI-style counters with no cache writes, audio or cost. */
    public ReportedUsage(Long promptTokens, Long cachedTokens, Long completionTokens, Long reasoningTokens) {
        this(promptTokens, cachedTokens, null, completionTokens, reasoningTokens, null, null);
    }

    /**
     * This snapshot brought up to date by a later one: each counter takes its latest reported value, and keeps
     * this one's where the later report leaves it out (as Anthropic's {@code message_delta} may). Never a sum.
     */
    public ReportedUsage updatedBy(ReportedUsage later) {
        if (later == null) {
            return this;
        }
        return new ReportedUsage(latest(promptTokens, later.promptTokens), latest(cachedTokens, later.cachedTokens),
                latest(cacheWriteTokens, later.cacheWriteTokens), latest(completionTokens, later.completionTokens),
                latest(reasoningTokens, later.reasoningTokens), latest(audioSeconds, later.audioSeconds),
                latest(cost, later.cost));
    }

    private static <T> T latest(T earlier, T later) {
        return later != null ? later : earlier;
    }
}

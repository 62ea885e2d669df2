package io.tollbooth.usage.event;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Token counts of one request, split into the kinds that are priced separately.
 *
 * <p>The billable kinds are disjoint: {@code input}, {@code cachedInput}, {@code cacheWrite} and {@code output}
 * add up to every token processed, and each is priced at its own rate. The gateway maps each backend's counters
 * onto them; for example an OpenAI {@code prompt_tokens} of 2,006 with 1,920 {@code cached_tokens} becomes
 * {@code input} 86 and {@code cachedInput} 1,920.
 *
 * <p>{@code reasoning} is not a billable kind: reasoning tokens are part of {@code output} and are reported
 * separately for information only.
 *
 * @param input prompt tokens read neither from nor into a prompt cache
 * @param cachedInput prompt tokens read from the backend's prompt cache
 * @param cacheWrite prompt tokens written into the backend's prompt cache
 * @param output generated tokens, reasoning included
 * @param reasoning generated tokens spent on reasoning; a part of {@code output}, never added to it
 */
public record TokenCounts(long input, long cachedInput, long cacheWrite, long output, long reasoning) {

    /** No tokens at all. */
    public static final TokenCounts ZERO = new TokenCounts(0, 0, 0, 0, 0);

    public TokenCounts {
        if (input < 0 || cachedInput < 0 || cacheWrite < 0 || output < 0 || reasoning < 0) {
            throw new IllegalArgumentException("token counts must not be negative: " + input + "/" + cachedInput
                    + "/" + cacheWrite + "/" + output + "/" + reasoning);
        }
        if (reasoning > output) {
            throw new IllegalArgumentException("reasoning tokens (" + reasoning + ") are part of output ("
                    + output + ") and cannot exceed it");
        }
    }

    /** Plain input and output, with no cache and no reasoning. */
    public static TokenCounts of(long input, long output) {
        return new TokenCounts(input, 0, 0, output, 0);
    }

    /** Every prompt token, whichever way it was served. */
    @JsonIgnore
    public long promptTotal() {
        return input + cachedInput + cacheWrite;
    }

    /** Every token processed: the prompt plus the output (reasoning is inside output). */
    @JsonIgnore
    public long total() {
        return promptTotal() + output;
    }
}

package io.tollbooth.gateway.usage;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData.UsageSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Maps a backend's OpenAI usage onto Tollbooth's disjoint token kinds, checking it on the way.
 *
 * <p>{@code prompt_tokens} includes {@code cached_tokens}, so input is their difference; {@code completion_tokens}
 * includes {@code reasoning_tokens}, so output is the completion and reasoning is only noted. Counts that cannot
 * be true (negative, more cached than prompt, more reasoning than completion) are clamped to the nearest valid
 * values and reported as an inconsistency, so the event is kept for inspection but never rated. A count the
 * backend left out, or a prompt of 0, is estimated.
 */
final class UsageResolver {

    private UsageResolver() {
    }

    /**
     * The token counts of a request.
     *
     * @param reported the backend's latest usage, or null when it reported none
     * @param promptEstimate counts the prompt, only called when the backend did not
     * @param outputEstimate counts the generated text, only called when the backend did not
     */
    static Resolution resolve(ReportedUsage reported, LongSupplier promptEstimate, LongSupplier outputEstimate) {
        if (reported == null) {
            return new Resolution(TokenCounts.of(promptEstimate.getAsLong(), outputEstimate.getAsLong()),
                    UsageSource.ESTIMATED, null);
        }
        List<String> problems = problems(reported);
        if (!problems.isEmpty()) {
            return new Resolution(clamped(reported), UsageSource.REPORTED, String.join("; ", problems));
        }
        boolean promptMissing = reported.promptTokens() == null || reported.promptTokens() == 0;
        boolean outputMissing = reported.completionTokens() == null;
        long prompt = promptMissing ? promptEstimate.getAsLong() : reported.promptTokens();
        long output = outputMissing ? outputEstimate.getAsLong() : reported.completionTokens();
        long cached = orZero(reported.cachedTokens());
        long reasoning = Math.min(orZero(reported.reasoningTokens()), output);
        TokenCounts tokens = new TokenCounts(Math.max(0, prompt - cached), cached, 0, output, reasoning);
        return new Resolution(tokens, promptMissing || outputMissing ? UsageSource.ESTIMATED : UsageSource.REPORTED,
                null);
    }

    private static List<String> problems(ReportedUsage usage) {
        List<String> problems = new ArrayList<>(2);
        negative(problems, "prompt_tokens", usage.promptTokens());
        negative(problems, "cached_tokens", usage.cachedTokens());
        negative(problems, "completion_tokens", usage.completionTokens());
        negative(problems, "reasoning_tokens", usage.reasoningTokens());
        if (exceeds(usage.cachedTokens(), usage.promptTokens())) {
            problems.add("cached_tokens " + usage.cachedTokens() + " > prompt_tokens " + usage.promptTokens());
        }
        if (exceeds(usage.reasoningTokens(), usage.completionTokens())) {
            problems.add("reasoning_tokens " + usage.reasoningTokens() + " > completion_tokens "
                    + usage.completionTokens());
        }
        return problems;
    }

    /** Whether a part exceeds its whole, both reported; a negative whole is already a problem of its own. */
    private static boolean exceeds(Long part, Long whole) {
        return part != null && whole != null && whole >= 0 && part > whole;
    }

    private static void negative(List<String> problems, String name, Long count) {
        if (count != null && count < 0) {
            problems.add(name + " " + count + " < 0");
        }
    }

    /** The nearest valid counts: negatives become 0, input never goes below 0, reasoning never above output. */
    private static TokenCounts clamped(ReportedUsage usage) {
        long prompt = Math.max(0, orZero(usage.promptTokens()));
        long cached = Math.max(0, orZero(usage.cachedTokens()));
        long output = Math.max(0, orZero(usage.completionTokens()));
        long reasoning = Math.min(Math.max(0, orZero(usage.reasoningTokens())), output);
        return new TokenCounts(Math.max(0, prompt - cached), cached, 0, output, reasoning);
    }

    private static long orZero(Long count) {
        return count == null ? 0 : count;
    }

    /**
     * The counts of one request and where they come from.
     *
     * @param tokens the counts, always valid
     * @param source whether any count was estimated
     * @param inconsistency what was wrong with the reported counts, or null when they were consistent
     */
    record Resolution(TokenCounts tokens, UsageSource source, String inconsistency) {
    }
}

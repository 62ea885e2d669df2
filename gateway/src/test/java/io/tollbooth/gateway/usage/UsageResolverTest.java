package io.tollbooth.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData.UsageSource;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class UsageResolverTest {

    private static final LongSupplier NEVER = () -> {
        throw new AssertionError("nothing should be estimated");
    };

    @Test
    void splitsCachedTokensOutOfThePrompt() {
        UsageResolver.Resolution resolution = resolve(new ReportedUsage(2006L, 1920L, 300L, null), NEVER, NEVER);

        assertThat(resolution.tokens()).isEqualTo(new TokenCounts(86, 1920, 0, 300, 0));
        assertThat(resolution.source()).isEqualTo(UsageSource.REPORTED);
        assertThat(resolution.inconsistency()).isNull();
    }

    @Test
    void keepsReasoningInsideOutput() {
        UsageResolver.Resolution resolution = resolve(new ReportedUsage(17L, null, 482L, 448L), NEVER, NEVER);

        assertThat(resolution.tokens()).isEqualTo(new TokenCounts(17, 0, 0, 482, 448));
    }

    @Test
    void clampsMoreCachedThanPromptAndFlagsIt() {
        UsageResolver.Resolution resolution = resolve(new ReportedUsage(100L, 120L, 5L, 0L), NEVER, NEVER);

        assertThat(resolution.tokens()).isEqualTo(new TokenCounts(0, 120, 0, 5, 0));
        assertThat(resolution.inconsistency()).isEqualTo("cached_tokens 120 > prompt_tokens 100");
    }

    @Test
    void clampsMoreReasoningThanCompletionAndNegativesAndFlagsThem() {
        UsageResolver.Resolution resolution = resolve(new ReportedUsage(-3L, null, 10L, 12L), NEVER, NEVER);

        assertThat(resolution.tokens()).isEqualTo(new TokenCounts(0, 0, 0, 10, 10));
        assertThat(resolution.inconsistency())
                .isEqualTo("prompt_tokens -3 < 0; reasoning_tokens 12 > completion_tokens 10");
    }

    @Test
    void estimatesEverythingWhenTheBackendReportedNothing() {
        UsageResolver.Resolution resolution = resolve(null, () -> 21, () -> 34);

        assertThat(resolution.tokens()).isEqualTo(TokenCounts.of(21, 34));
        assertThat(resolution.source()).isEqualTo(UsageSource.ESTIMATED);
    }

    @Test
    void estimatesAPromptReportedAsZeroOrLeftOut() {
        assertThat(resolve(new ReportedUsage(0L, 0L, 282L, null), () -> 26, NEVER))
                .isEqualTo(new UsageResolver.Resolution(TokenCounts.of(26, 282), UsageSource.ESTIMATED, null));
        assertThat(resolve(new ReportedUsage(null, null, 282L, null), () -> 26, NEVER))
                .isEqualTo(new UsageResolver.Resolution(TokenCounts.of(26, 282), UsageSource.ESTIMATED, null));
    }

    @Test
    void estimatesACompletionLeftOut() {
        assertThat(resolve(new ReportedUsage(26L, null, null, null), NEVER, () -> 9))
                .isEqualTo(new UsageResolver.Resolution(TokenCounts.of(26, 9), UsageSource.ESTIMATED, null));
    }

    private static UsageResolver.Resolution resolve(ReportedUsage usage, LongSupplier prompt, LongSupplier output) {
        return UsageResolver.resolve(usage, prompt, output);
    }
}

package io.tollbooth.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

/** The plan's JSON names, which callers write into their requests and must never drift. */
class SimulationPlanTest {

    @Test
    void sendsNothingForTheDefaultPlan() {
        assertThat(SimulationPlan.DEFAULT.toJsonMap()).isEmpty();
    }

    @Test
    void namesEveryFieldTheWayTheSimulatorReadsIt() {
        SimulationPlan plan = SimulationPlan.DEFAULT.withCompletionTokens(7).withCachedTokens(2)
                .withReasoningTokens(3).withFirstTokenDelayMs(40).withChunkDelayMs(5).withStatus(503)
                .withOmitUsage(true).withUsageOnFinishChunk(true).withServedModel("sim-large").withPromptTokens(1200)
                .withReplay("case-5");

        assertThat(plan.toJsonMap()).containsExactly(
                entry("completion_tokens", 7),
                entry("cached_tokens", 2),
                entry("reasoning_tokens", 3),
                entry("first_token_delay_ms", 40L),
                entry("chunk_delay_ms", 5L),
                entry("status", 503),
                entry("omit_usage", true),
                entry("usage_on_finish_chunk", true),
                entry("served_model", "sim-large"),
                entry("prompt_tokens", 1200),
                entry("replay", "case-5"));
    }
}

package io.tollbooth.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The tokenizer rule that the gateway's tests use to compute expected prompt tokens. */
class SimulatedTokenizerTest {

    @Test
    void countsEachWordAndEachPunctuationMark() {
        assertThat(SimulatedTokenizer.countTokens("Hello, world!")).isEqualTo(4);
    }

    @Test
    void splitsWordsAtApostrophesAndDashes() {
        assertThat(SimulatedTokenizer.countTokens("don't")).isEqualTo(3);
        assertThat(SimulatedTokenizer.countTokens("2024-01-31")).isEqualTo(5);
    }

    @Test
    void ignoresWhitespaceOfEveryKind() {
        assertThat(SimulatedTokenizer.countTokens("  one\ttwo\n\nthree  ")).isEqualTo(3);
        assertThat(SimulatedTokenizer.countTokens("")).isZero();
        assertThat(SimulatedTokenizer.countTokens(" \n ")).isZero();
    }

    @Test
    void treatsLettersOfAnyScriptAsWordsAndEachSymbolAsOneToken() {
        assertThat(SimulatedTokenizer.countTokens("Grüße, 東京")).isEqualTo(3);
        assertThat(SimulatedTokenizer.countTokens("ok 👍👍")).isEqualTo(3);
    }

    @Test
    void addsTheMessageOverheadToEveryMessageOfAPrompt() {
        assertThat(SimulatedTokenizer.promptTokens("You are terse.", "Hello, world!")).isEqualTo(4 + 3 + 4 + 3);
        assertThat(SimulatedTokenizer.promptTokens("")).isEqualTo(SimulatedTokenizer.MESSAGE_OVERHEAD_TOKENS);
    }

    @Test
    void countsTheGeneratedContentAsOneTokenPerWord() {
        assertThat(SimulatedTokenizer.countTokens(ChatCompletion.content(40))).isEqualTo(40);
    }
}

package io.tollbooth.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollbooth.usage.event.TokenKind;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small rules admission computes with: counter units, output caps and OpenAI's reset durations. */
class AdmissionArithmeticTest {

    @Test
    void keepsSevenDecimalsBelowTheMinorUnitOfEachCurrency() {
        assertThat(MoneyUnits.of(Currency.getInstance("USD")).ceiling(new BigDecimal("0.0035"))).isEqualTo(3_500_000);
        assertThat(MoneyUnits.of(Currency.getInstance("JPY")).ceiling(new BigDecimal("1500"))).isEqualTo(
                15_000_000_000L);
        assertThat(MoneyUnits.of(Currency.getInstance("USD")).ceiling(new BigDecimal("0.0000000001"))).isEqualTo(1);
        assertThat(MoneyUnits.of(Currency.getInstance("USD")).amount(4_000_000)).isEqualByComparingTo("0.004");
    }

    @Test
    void reservesMaxCompletionTokensOverMaxTokensForEveryChoice() {
        assertThat(RequestedOutput.maxOutputTokens(Buffer.buffer("{\"max_tokens\":300}"), 4096)).isEqualTo(300);
        assertThat(RequestedOutput.maxOutputTokens(Buffer.buffer("{\"max_tokens\":300,\"max_completion_tokens\":50,"
                + "\"n\":3}"), 4096)).isEqualTo(150);
        assertThat(RequestedOutput.maxOutputTokens(Buffer.buffer("{\"messages\":[]}"), 4096)).isEqualTo(4096);
        assertThat(RequestedOutput.maxOutputTokens(Buffer.buffer("{\"max_tokens\":-5}"), 4096)).isEqualTo(4096);
        assertThat(RequestedOutput.maxOutputTokens(Buffer.buffer("{\"input\":\"hi\",\"max_output_tokens\":64}"),
                4096)).isEqualTo(64);
    }

    @Test
    void countsThePromptOfEveryApiShape() {
        PromptTokens prompts = new PromptTokens();

        // o200k_base: 3 to prime the reply, then 3 + "user" 1 + "hi" 1 per chat message.
        assertThat(prompts.count(Buffer.buffer("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                "gpt-4o")).isEqualTo(8);
        // Anthropic: the top-level system prompt counts too ("Be brief." is 3 tokens).
        assertThat(prompts.count(Buffer.buffer("{\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}"), "claude-sonnet")).isEqualTo(11);
        assertThat(prompts.count(Buffer.buffer("{\"prompt\":\"hi\"}"), "gpt-4o")).isEqualTo(4);
        assertThat(prompts.count(Buffer.buffer("{\"input\":[\"hi\",\"hi\"]}"), "text-embedding-3-small"))
                .isEqualTo(5);
    }

    @Test
    void writesResetDurationsAsOpenAiDoes() {
        assertThat(Rejections.duration(250)).isEqualTo("250ms");
        assertThat(Rejections.duration(7_000)).isEqualTo("7s");
        assertThat(Rejections.duration(65_500)).isEqualTo("1m5.5s");
        assertThat(Rejections.duration(3_600_000)).isEqualTo("1h0m0s");
    }

    @Test
    void pricesTheWorstCaseAtTheDearestPromptKind() {
        ModelPrices prices = new ModelPrices(List.of(
                new ModelPrices.PricePoint(TokenKind.INPUT, new BigDecimal("3.00"), "USD",
                        Instant.EPOCH),
                new ModelPrices.PricePoint(TokenKind.CACHE_WRITE, new BigDecimal("3.75"),
                        "USD", Instant.EPOCH),
                new ModelPrices.PricePoint(TokenKind.OUTPUT, new BigDecimal("15.00"), "USD",
                        Instant.EPOCH)));

        // 1,000 prompt tokens at the cache-write 3.75 and 100 output at 15.00 per 1M.
        assertThat(prices.at(Instant.EPOCH, "USD").worstCase(1000, 100)).isEqualByComparingTo("0.00525");
        assertThat(prices.at(Instant.EPOCH, "EUR").priced()).isFalse();
    }
}

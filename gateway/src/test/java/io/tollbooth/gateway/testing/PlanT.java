package io.tollbooth.gateway.testing;

import io.tollbooth.usage.event.TokenCounts;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The field cases' price plan PLAN-T (USD per 1,000,000 tokens), to check that captured counts give the amount a
 * case states. A test helper only: metering owns real rating.
 */
public final class PlanT {

    /** Above this many prompt tokens (input, cache read and cache write) claude-sonnet's long-context tier applies. */
    private static final long CLAUDE_LONG_CONTEXT_FROM = 200_000;
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** Per model: input, cached input, cache write, output; null where the plan has no price. */
    private static final Map<String, String[]> PRICES = Map.of(
            "gpt-4o", new String[] {"2.50", "1.25", null, "10.00"},
            "o4-mini", new String[] {"1.10", "0.275", null, "4.40"},
            "claude-sonnet", new String[] {"3.00", "0.30", "3.75", "15.00"},
            "claude-sonnet-long", new String[] {"6.00", "0.60", "7.50", "22.50"},
            "local-llama", new String[] {"0.20", null, null, "0.60"});

    private PlanT() {
    }

    /** The cost (before markup) of {@code tokens} of {@code model}, at full precision. */
    public static BigDecimal cost(String model, TokenCounts tokens) {
        String tier = model.equals("claude-sonnet") && tokens.promptTotal() > CLAUDE_LONG_CONTEXT_FROM
                ? "claude-sonnet-long" : model;
        String[] prices = PRICES.get(tier);
        if (prices == null) {
            throw new IllegalArgumentException("PLAN-T has no price for " + model);
        }
        BigDecimal micros = part(prices[0], tokens.input()).add(part(prices[1], tokens.cachedInput()))
                .add(part(prices[2], tokens.cacheWrite())).add(part(prices[3], tokens.output()));
        return micros.divide(MILLION).stripTrailingZeros();
    }

    private static BigDecimal part(String pricePerMillion, long quantity) {
        if (quantity == 0) {
            return BigDecimal.ZERO;
        }
        if (pricePerMillion == null) {
            throw new IllegalArgumentException("PLAN-T has no price for " + quantity + " tokens of this kind");
        }
        return new BigDecimal(pricePerMillion).multiply(BigDecimal.valueOf(quantity));
    }
}

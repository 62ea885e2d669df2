package io.tollbooth.metering.pricebook;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

/**
 * The cost basis of a model served on the operator's own hardware: what the node costs per hour and how many
 * tokens per second the model processes on it, measured separately for the prompt (input) and for generation
 * (output). The model's cost per 1,000,000 tokens follows as {@code costPerHour × 1,000,000 / (tokens per second ×
 * 3,600)}, rounded once to {@value #SCALE} decimal places (half up), since the division rarely ends.
 *
 * @param model the model's name in the operator's catalogue
 * @param node a name for the node or node type, for people
 * @param costPerHour what the node costs per hour, in the operator's currency
 * @param inputTokensPerSecond measured prompt throughput, above zero
 * @param outputTokensPerSecond measured generation throughput, above zero
 * @param effectiveFrom when the derived prices apply from
 */
public record SelfHostedCost(String model, String node, BigDecimal costPerHour, BigDecimal inputTokensPerSecond,
        BigDecimal outputTokensPerSecond, Instant effectiveFrom) {

    /** Decimal places a derived price per 1M tokens keeps. */
    public static final int SCALE = 10;

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3_600);

    public SelfHostedCost {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(costPerHour, "costPerHour");
        Objects.requireNonNull(inputTokensPerSecond, "inputTokensPerSecond");
        Objects.requireNonNull(outputTokensPerSecond, "outputTokensPerSecond");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        if (costPerHour.signum() < 0 || inputTokensPerSecond.signum() <= 0 || outputTokensPerSecond.signum() <= 0) {
            throw new PriceBookException(PriceBookError.INVALID, "a node's cost is never negative and a measured"
                    + " throughput is above zero");
        }
    }

    /** The derived input cost per 1M tokens. */
    public BigDecimal inputPerMillion() {
        return perMillion(inputTokensPerSecond);
    }

    /** The derived output cost per 1M tokens. */
    public BigDecimal outputPerMillion() {
        return perMillion(outputTokensPerSecond);
    }

    private BigDecimal perMillion(BigDecimal tokensPerSecond) {
        return costPerHour.multiply(MILLION).divide(tokensPerSecond.multiply(SECONDS_PER_HOUR), SCALE,
                RoundingMode.HALF_UP);
    }
}

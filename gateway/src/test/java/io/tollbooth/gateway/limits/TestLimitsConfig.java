package io.tollbooth.gateway.limits;

import java.time.Duration;

/**
 * Limits settings for admission components built by hand in tests: the defaults, with a Redis key prefix, failing
 * closed unless told otherwise.
 */
record TestLimitsConfig(String prefix, boolean redisEnabled, boolean failOpen) implements LimitsConfig {

    TestLimitsConfig(String prefix, boolean redisEnabled) {
        this(prefix, redisEnabled, false);
    }

    @Override
    public Duration cacheTtl() {
        return Duration.ofSeconds(10);
    }

    @Override
    public long defaultMaxTokens() {
        return 4096;
    }

    @Override
    public Duration lease() {
        return Duration.ofMinutes(15);
    }

    @Override
    public Duration spendTtl() {
        return Duration.ofHours(1);
    }

    @Override
    public int inlineEstimateMaxBytes() {
        return 2048;
    }

    @Override
    public Duration storeTimeout() {
        return Duration.ofSeconds(5);
    }

    @Override
    public Redis redis() {
        return new Redis() {
            @Override
            public boolean enabled() {
                return redisEnabled;
            }

            @Override
            public String keyPrefix() {
                return prefix;
            }
        };
    }
}

package io.tollbooth.gateway.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of admission control (rate limits, requests in flight, budgets), under {@code tollbooth.gateway.limits}. */
@ConfigMapping(prefix = "tollbooth.gateway.limits")
public interface LimitsConfig {

    /**
     * {@code tollbooth.gateway.limits.cache-ttl}: how long a key's limits (tables {@code client_limit},
     * {@code api_key_limit}) and a model's prices are used before they are read again; a changed limit or price
     * takes effect after at most this long.
     */
    @WithDefault("PT10S")
    Duration cacheTtl();

    /**
     * {@code tollbooth.gateway.limits.default-max-tokens}: the output tokens reserved for a request that sets
     * neither {@code max_completion_tokens} nor {@code max_tokens}.
     */
    @WithDefault("4096")
    long defaultMaxTokens();

    /**
     * {@code tollbooth.gateway.limits.lease}: how long a request holds its in-flight slot and budget reservation
     * when it is never settled (its gateway replica died); a request that runs longer than this releases them
     * early. Keep it above the longest request a backend may serve.
     */
    @WithDefault("PT15M")
    Duration lease();

    /**
     * {@code tollbooth.gateway.limits.spend-ttl}: how long a budget's spend counter lives before it is read again
     * from the rated ledger ({@code rated_usage}); usage settled but not yet rated when that happens is missed.
     */
    @WithDefault("PT1H")
    Duration spendTtl();

    /**
     * {@code tollbooth.gateway.limits.inline-estimate-max-bytes}: request bodies up to this size are tokenized on
     * the event loop (tens of microseconds); larger ones on a worker thread, so a long prompt never stalls it.
     */
    @WithDefault("2048")
    int inlineEstimateMaxBytes();

    /**
     * {@code tollbooth.gateway.limits.store-timeout}: longest wait for the counters (Redis) or the spend and
     * limit lookups (PostgreSQL) during admission; then {@code fail-open} decides.
     */
    @WithDefault("PT0.5S")
    Duration storeTimeout();

    /**
     * {@code tollbooth.gateway.limits.fail-open}: when the counters or the database cannot be asked, admit the
     * request unlimited (true, logged at ERROR) or refuse it with 503 (false).
     */
    @WithDefault("true")
    boolean failOpen();

    /** Shared counters in Redis. */
    Redis redis();

    /** Redis settings; the connection itself is {@code quarkus.redis.hosts}. */
    interface Redis {

        /**
         * {@code tollbooth.gateway.limits.redis.enabled}: keep the counters in Redis, shared by every gateway
         * replica (true), or in this process only (false), which is right for a single replica.
         */
        @WithDefault("false")
        boolean enabled();

        /** {@code tollbooth.gateway.limits.redis.key-prefix}: the start of every Redis key the limits write. */
        @WithDefault("tollbooth:limits:")
        String keyPrefix();
    }
}

package io.tollbooth.gateway.limits;

import java.math.BigDecimal;

/**
 * The limits of one scope (a client, or one of its API keys) as configured; a null limit is no limit.
 *
 * @param requestsPerMinute requests admitted per 60-second window
 * @param tokensPerMinute worst-case tokens admitted per 60-second window, corrected to the metered tokens once a
 *     request is settled
 * @param maxInFlight requests running at once
 * @param budget the client charge allowed per billing period, in the client's currency
 */
public record ScopeLimits(Integer requestsPerMinute, Long tokensPerMinute, Integer maxInFlight, BigDecimal budget) {

    /** A scope with no limit at all. */
    public static final ScopeLimits NONE = new ScopeLimits(null, null, null, null);

    /** Whether any limit is set. */
    public boolean any() {
        return requestsPerMinute != null || tokensPerMinute != null || maxInFlight != null || budget != null;
    }

    /** Whether admission must count the request's tokens for this scope. */
    boolean needsTokens() {
        return tokensPerMinute != null || budget != null;
    }
}

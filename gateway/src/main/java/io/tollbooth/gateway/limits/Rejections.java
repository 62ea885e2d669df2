package io.tollbooth.gateway.limits;

import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a refused reservation into the caller's 429: OpenAI's error JSON with code {@code rate_limit_exceeded} or
 * {@code budget_exceeded}, {@code Retry-After} in whole seconds, and OpenAI's {@code x-ratelimit-*} headers for
 * the requests and tokens per minute of the tightest scope that has them.
 */
final class Rejections {

    private static final long WINDOW_MILLIS = 60_000;

    private Rejections() {
    }

    /**
     * The error for {@code reserved}, refused.
     *
     * @param scopeNames what each scope is called in the message ({@code API key}, {@code client})
     * @param units the budget's currency units
     * @param periodEndMillis when the billing period ends, by the gateway's clock
     */
    static GatewayException of(Counters.Reservation reservation, Counters.Reserved reserved, List<String> scopeNames,
            MoneyUnits units, String currency, long periodEndMillis) {
        Counters.Quota quota = reservation.quotas().get(reserved.refusedScope());
        Counters.Usage usage = reserved.usage().get(reserved.refusedScope());
        String scope = scopeNames.get(reserved.refusedScope());
        long windowResetMillis = reservation.windowStartMillis() + WINDOW_MILLIS - reservation.nowMillis();
        Map<String, String> headers = rateLimitHeaders(reservation, reserved, windowResetMillis);
        return switch (reserved.refusedBy()) {
            case REQUESTS -> refuse(GatewayError.RATE_LIMIT_EXCEEDED, "rate_limit_requests", headers,
                    windowResetMillis, "Rate limit reached for requests per min (RPM) on this " + scope + ": Limit "
                            + quota.requestsPerMinute() + ", Used " + usage.requests() + ", Requested 1. Please try "
                            + "again in " + duration(windowResetMillis) + ".");
            case TOKENS -> refuse(GatewayError.TOKEN_RATE_LIMIT_EXCEEDED, "rate_limit_tokens", headers,
                    windowResetMillis, "Rate limit reached for tokens per min (TPM) on this " + scope + ": Limit "
                            + quota.tokensPerMinute() + ", Used " + usage.tokens() + ", Requested "
                            + reservation.tokens() + " (prompt and max_tokens). Please try again in "
                            + duration(windowResetMillis) + ".");
            case IN_FLIGHT -> refuse(GatewayError.RATE_LIMIT_EXCEEDED, "rate_limit_in_flight", headers, 1000,
                    "Too many requests in flight on this " + scope + ": Limit " + quota.maxInFlight()
                            + ". Please try again when one of them has finished.");
            case BUDGET -> budget(reservation, quota, usage, scope, headers, units, currency, periodEndMillis);
        };
    }

    private static GatewayException budget(Counters.Reservation reservation, Counters.Quota quota,
            Counters.Usage usage, String scope, Map<String, String> headers, MoneyUnits units, String currency,
            long periodEndMillis) {
        long left = Math.max(0, quota.budgetUnits() - usage.spentUnits() - usage.heldUnits());
        // Spent alone leaves no room: only the next period helps. Otherwise requests in flight will settle below
        // their reservations and free some of it.
        boolean spentOut = usage.spentUnits() + reservation.costUnits() > quota.budgetUnits();
        long retryMillis = spentOut ? periodEndMillis - reservation.nowMillis() : 1000;
        return refuse(GatewayError.BUDGET_EXCEEDED, "budget_exceeded", headers, retryMillis,
                "Budget exceeded for this " + scope + " in billing period " + reservation.period() + ": the "
                        + "request may cost up to " + plain(units, reservation.costUnits()) + " " + currency
                        + " and " + plain(units, left) + " " + currency + " of the budget of "
                        + plain(units, quota.budgetUnits()) + " " + currency + " is left.");
    }

    private static GatewayException refuse(GatewayError error, String outcome, Map<String, String> headers,
            long retryMillis, String message) {
        headers.put("retry-after", Long.toString(Math.max(1, ceilDiv(retryMillis, 1000))));
        return GatewayException.withHeaders(error, message, outcome, headers);
    }

    /** The {@code x-ratelimit-*} headers: per dimension, the scope with the least room left. */
    private static Map<String, String> rateLimitHeaders(Counters.Reservation reservation, Counters.Reserved reserved,
            long windowResetMillis) {
        Map<String, String> headers = new LinkedHashMap<>();
        long requestLimit = -1;
        long requestsLeft = Long.MAX_VALUE;
        long tokenLimit = -1;
        long tokensLeft = Long.MAX_VALUE;
        for (int i = 0; i < reservation.quotas().size(); i++) {
            Counters.Quota quota = reservation.quotas().get(i);
            Counters.Usage usage = reserved.usage().get(i);
            if (quota.requestsPerMinute() >= 0
                    && quota.requestsPerMinute() - usage.requests() < requestsLeft) {
                requestLimit = quota.requestsPerMinute();
                requestsLeft = Math.max(0, requestLimit - usage.requests());
            }
            if (quota.tokensPerMinute() >= 0 && quota.tokensPerMinute() - usage.tokens() < tokensLeft) {
                tokenLimit = quota.tokensPerMinute();
                tokensLeft = Math.max(0, tokenLimit - usage.tokens());
            }
        }
        if (requestLimit >= 0) {
            headers.put("x-ratelimit-limit-requests", Long.toString(requestLimit));
            headers.put("x-ratelimit-remaining-requests", Long.toString(requestsLeft));
            headers.put("x-ratelimit-reset-requests", duration(windowResetMillis));
        }
        if (tokenLimit >= 0) {
            headers.put("x-ratelimit-limit-tokens", Long.toString(tokenLimit));
            headers.put("x-ratelimit-remaining-tokens", Long.toString(tokensLeft));
            headers.put("x-ratelimit-reset-tokens", duration(windowResetMillis));
        }
        return headers;
    }

    /** A duration as OpenAI writes it in {@code x-ratelimit-reset-*}: {@code 250ms}, {@code 20s}, {@code 1m5.5s}. */
    static String duration(long millis) {
        if (millis < 1000) {
            return Math.max(0, millis) + "ms";
        }
        Duration duration = Duration.ofMillis(millis);
        StringBuilder text = new StringBuilder();
        if (duration.toHours() > 0) {
            text.append(duration.toHours()).append('h');
        }
        if (duration.toHours() > 0 || duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        text.append(duration.toSecondsPart());
        int millisPart = duration.toMillisPart();
        if (millisPart > 0) {
            text.append('.').append(String.format("%03d", millisPart).replaceAll("0+$", ""));
        }
        return text.append('s').toString();
    }

    private static String plain(MoneyUnits units, long amount) {
        return units.amount(amount).toPlainString();
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}

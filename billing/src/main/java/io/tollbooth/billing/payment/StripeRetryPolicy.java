package io.tollbooth.billing.payment;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeError;
import com.stripe.net.StripeResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Which failed Stripe requests may be sent again, and how long to wait first.
 *
 * <p>Stripe's {@code Stripe-Should-Retry} answer header decides when present. Otherwise a request may be retried
 * after a network error (the request may or may not have reached Stripe; the idempotency key makes the retry safe),
 * a 409 (another request with the same idempotency key is still in progress), a 429 (rate limited or a lock
 * timeout) and any 5xx. Everything else (400, 401, 402 card declined, 403, 404) fails the same way again.
 */
final class StripeRetryPolicy {

    static final String SHOULD_RETRY_HEADER = "Stripe-Should-Retry";

    private StripeRetryPolicy() {
    }

    /** Whether the request that failed with {@code failure} may be sent again with the same idempotency key. */
    static boolean mayRetry(StripeException failure) {
        Optional<String> advice = shouldRetryHeader(failure);
        if (advice.isPresent()) {
            return Boolean.parseBoolean(advice.get());
        }
        if (failure instanceof ApiConnectionException) {
            return true;
        }
        Integer status = failure.getStatusCode();
        return status != null && (status == 409 || status == 429 || status >= 500);
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry): {@code initial}, doubled for every
     * further retry, never more than {@code max}.
     */
    static Duration backoff(int retry, Duration initial, Duration max) {
        Duration delay = initial;
        for (int i = 1; i < retry && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private static Optional<String> shouldRetryHeader(StripeException failure) {
        StripeError error = failure.getStripeError();
        StripeResponse response = error == null ? null : error.getLastResponse();
        if (response == null || response.headers() == null) {
            return Optional.empty();
        }
        return response.headers().firstValue(SHOULD_RETRY_HEADER);
    }
}

package io.tollbooth.billing.payment;

import java.time.Duration;

/** Waits between two attempts of a Stripe request. Tests replace it with one that only records the waits. */
public interface RetryPause {

    /**
     * Waits for {@code delay}.
     *
     * @throws PaymentSyncException {@link PaymentSyncError#STRIPE_UNAVAILABLE} if the thread is interrupted, so the
     *     push stops and stays pending
     */
    void pause(Duration delay);
}

package io.tollbooth.billing.payment;

import io.quarkus.arc.DefaultBean;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Waits between attempts by sleeping the pushing thread; the default {@link RetryPause}. */
@Singleton
@DefaultBean
public class SleepingRetryPause implements RetryPause {

    @Override
    public void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaymentSyncException(PaymentSyncError.STRIPE_UNAVAILABLE,
                    "interrupted while waiting to retry a Stripe request", e);
        }
    }
}

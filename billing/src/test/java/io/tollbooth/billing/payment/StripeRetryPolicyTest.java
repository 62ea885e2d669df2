package io.tollbooth.billing.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StripeRetryPolicyTest {

    @Test
    void doublesTheWaitFromTheFirstRetryUpToTheCap() {
        Duration initial = Duration.ofMillis(500);
        Duration max = Duration.ofSeconds(8);

        assertThat(StripeRetryPolicy.backoff(1, initial, max)).isEqualTo(Duration.ofMillis(500));
        assertThat(StripeRetryPolicy.backoff(2, initial, max)).isEqualTo(Duration.ofMillis(1000));
        assertThat(StripeRetryPolicy.backoff(3, initial, max)).isEqualTo(Duration.ofMillis(2000));
        assertThat(StripeRetryPolicy.backoff(5, initial, max)).isEqualTo(Duration.ofSeconds(8));
        assertThat(StripeRetryPolicy.backoff(40, initial, max)).isEqualTo(Duration.ofSeconds(8));
    }
}

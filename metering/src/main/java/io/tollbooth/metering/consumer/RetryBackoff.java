package io.tollbooth.metering.consumer;

import java.time.Duration;

/** Exponential backoff between retries: the wait doubles after every failure up to a ceiling. */
final class RetryBackoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;
    private int failures;

    RetryBackoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** Records a failure and returns how long to wait before the next attempt. */
    Duration failed() {
        failures++;
        Duration wait = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return wait;
    }

    /** Failures since the last success. */
    int failures() {
        return failures;
    }

    void succeeded() {
        failures = 0;
        next = initial;
    }
}

package io.tollbooth.billing.payment;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Replaces the sleeping pause in tests: records each wait between attempts and returns at once. */
@Alternative
@Priority(1)
@Singleton
public class RecordingRetryPause implements RetryPause {

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @Override
    public void pause(Duration delay) {
        pauses.add(delay);
    }

    /** The waits asked for since the last {@link #clear()}, in order. */
    public List<Duration> pauses() {
        return List.copyOf(pauses);
    }

    public void clear() {
        pauses.clear();
    }
}

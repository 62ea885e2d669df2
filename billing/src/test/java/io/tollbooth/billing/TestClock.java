package io.tollbooth.billing;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the tests set by hand; replaces billing's default system clock in every test. */
@Singleton
public class TestClock extends Clock {

    private volatile Instant now = Instant.parse("2026-06-15T12:00:00Z");

    /** Moves the clock to {@code instant}. */
    public void set(Instant instant) {
        now = instant;
    }

    /** Moves the clock to an ISO-8601 instant such as "2026-06-01T00:00:00Z". */
    public void set(String instant) {
        set(Instant.parse(instant));
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("billing reads instants only");
    }
}

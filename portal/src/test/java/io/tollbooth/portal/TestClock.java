package io.tollbooth.portal;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The control plane's clock in tests: it stands still at {@link #NOW}, in the middle of December 2026. */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {

    /** Every test runs at this instant. */
    public static final Instant NOW = Instant.parse("2026-12-15T10:00:00Z");

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(NOW, zone);
    }

    @Override
    public Instant instant() {
        return NOW;
    }
}

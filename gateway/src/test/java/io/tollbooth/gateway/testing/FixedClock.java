package io.tollbooth.gateway.testing;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Replaces the gateway's clock in tests, so a usage event's time is an exact, known instant. */
@Dependent
public class FixedClock {

    /** The time every request arrives at, by the gateway's clock. */
    public static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");

    @Produces
    @Singleton
    Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }
}

package io.tollbooth.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackendStatesTest {

    private static final Backend LOCAL = new Backend("local", URI.create("http://127.0.0.1:8000/v1"),
            Optional.empty(), null, 2);
    private static final Backend OTHER_OPERATORS_LOCAL = new Backend("local",
            URI.create("http://10.0.0.7:8000/v1"), Optional.empty(), null, 2);

    private final SteppedClock clock = new SteppedClock();
    private final BackendStates states = new BackendStates(3, Duration.ofSeconds(30), clock);

    @Test
    void passesOverABackendAtItsInFlightLimitUntilARequestEnds() {
        states.started(LOCAL);
        states.started(LOCAL);

        assertThat(states.available(LOCAL)).isFalse();
        assertThat(states.available(OTHER_OPERATORS_LOCAL)).isTrue();

        states.ended(LOCAL, false);

        assertThat(states.available(LOCAL)).isTrue();
        assertThat(states.inFlight(LOCAL)).isEqualTo(1);
    }

    @Test
    void opensAfterThreeFailuresInARowAndTriesAgainAfterTheCoolDown() {
        fail(LOCAL, 2);
        states.started(withoutLimit());
        states.ended(withoutLimit(), false);
        fail(LOCAL, 2);
        assertThat(states.available(LOCAL)).as("a success in between starts the count again").isTrue();

        fail(LOCAL, 1);
        assertThat(states.available(LOCAL)).isFalse();

        clock.advance(Duration.ofSeconds(29));
        assertThat(states.available(LOCAL)).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(states.available(LOCAL)).isTrue();
    }

    @Test
    void reopensOnTheFirstFailureAfterTheCoolDownAndClosesOnASuccess() {
        fail(LOCAL, 3);
        clock.advance(Duration.ofSeconds(30));

        fail(LOCAL, 1);
        assertThat(states.available(LOCAL)).isFalse();

        clock.advance(Duration.ofSeconds(30));
        states.started(LOCAL);
        states.ended(LOCAL, false);
        fail(LOCAL, 2);

        assertThat(states.available(LOCAL)).isTrue();
    }

    /** A success of the same backend (same name and place), limit aside. */
    private static Backend withoutLimit() {
        return new Backend(LOCAL.name(), LOCAL.baseUrl(), Optional.empty());
    }

    private void fail(Backend backend, int times) {
        for (int i = 0; i < times; i++) {
            states.started(backend);
            states.ended(backend, true);
        }
    }

    /** A clock that only moves when told. */
    private static final class SteppedClock extends Clock {

        private Instant now = Instant.parse("2026-05-11T10:00:00Z");

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

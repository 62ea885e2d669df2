package io.tollbooth.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BillingPeriodTest {

    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void startsAndEndsAtLocalMidnight() {
        BillingPeriod may = BillingPeriod.of(YearMonth.of(2026, 5), KOLKATA);

        assertThat(may.start()).isEqualTo(Instant.parse("2026-04-30T18:30:00Z"));
        assertThat(may.end()).isEqualTo(Instant.parse("2026-05-31T18:30:00Z"));
    }

    @Test
    void putsAnEventOnTheLastUtcEveningOfMayIntoJuneInKolkata() {
        Instant event = Instant.parse("2026-05-31T20:00:00Z");

        assertThat(BillingPeriod.containing(event, KOLKATA).month()).isEqualTo(YearMonth.of(2026, 6));
        assertThat(BillingPeriod.of(YearMonth.of(2026, 5), KOLKATA).contains(event)).isFalse();
        assertThat(BillingPeriod.of(YearMonth.of(2026, 6), KOLKATA).contains(event)).isTrue();
    }

    @Test
    void followsDaylightSavingChanges() {
        // New York moves from EST (-05:00) to EDT (-04:00) on 2026-03-08.
        BillingPeriod march = BillingPeriod.of(YearMonth.of(2026, 3), NEW_YORK);

        assertThat(march.start()).isEqualTo(Instant.parse("2026-03-01T05:00:00Z"));
        assertThat(march.end()).isEqualTo(Instant.parse("2026-04-01T04:00:00Z"));
    }

    @Test
    void leavesNoGapAndNoOverlapBetweenMonths() {
        BillingPeriod march = BillingPeriod.of(YearMonth.of(2026, 3), NEW_YORK);
        BillingPeriod april = BillingPeriod.of(YearMonth.of(2026, 4), NEW_YORK);

        assertThat(march.end()).isEqualTo(april.start());
        assertThat(march.contains(april.start())).isFalse();
        assertThat(march.contains(march.end().minusNanos(1))).isTrue();
    }

    @Test
    void endsOnlyAtTheFirstInstantOfTheNextMonth() {
        BillingPeriod may = BillingPeriod.of(YearMonth.of(2026, 5), KOLKATA);

        assertThat(may.hasEndedAt(Instant.parse("2026-05-31T18:29:59Z"))).isFalse();
        assertThat(may.hasEndedAt(Instant.parse("2026-05-31T18:30:00Z"))).isTrue();
    }
}

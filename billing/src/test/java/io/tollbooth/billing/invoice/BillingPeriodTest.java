package io.tollbooth.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
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

    @Test
    void startsOnTheBillingDayAndEndsTheDayBeforeItNextMonth() {
        BillingPeriod period = BillingPeriod.of(YearMonth.of(2026, 1), NEW_YORK, 15);

        assertThat(period.startDate()).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(period.lastDay()).isEqualTo(LocalDate.of(2026, 2, 14));
        assertThat(period.next().startDate()).isEqualTo(LocalDate.of(2026, 2, 15));
        assertThat(period).hasToString("2026-01-15 to 2026-02-14 America/New_York");
    }

    @Test
    void putsAnInstantIntoThePeriodOfItsLocalDayWithABillingDay() {
        // 2026-03-15T03:59:59Z is still March 14 in New York (EDT, -04:00 since March 8).
        assertThat(BillingPeriod.containing(Instant.parse("2026-03-15T03:59:59Z"), NEW_YORK, 15).startDate())
                .isEqualTo(LocalDate.of(2026, 2, 15));
        assertThat(BillingPeriod.containing(Instant.parse("2026-03-15T04:00:00Z"), NEW_YORK, 15).startDate())
                .isEqualTo(LocalDate.of(2026, 3, 15));
    }

    @Test
    void spansADaylightSavingChangeWithoutGapOrOverlap() {
        BillingPeriod period = BillingPeriod.of(YearMonth.of(2026, 2), NEW_YORK, 15);

        assertThat(period.start()).isEqualTo(Instant.parse("2026-02-15T05:00:00Z"));
        assertThat(period.end()).isEqualTo(Instant.parse("2026-03-15T04:00:00Z"));
        assertThat(period.next().start()).isEqualTo(period.end());
    }

    @Test
    void refusesABillingDayThatSomeMonthsDoNotHave() {
        assertThatThrownBy(() -> BillingPeriod.of(YearMonth.of(2026, 2), NEW_YORK, 29))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("billing day 29 is not between 1 and 28");
    }
}

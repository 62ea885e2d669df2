package io.tollbooth.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.invoice.ClientCloseOutcome.Status;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduled run closes every ended period once, in order, and only one instance runs at a time. */
@QuarkusTest
class ScheduledInvoiceRunTest {

    private static final String LOCK = "hashtext(current_schema() || ':tollbooth.billing.invoice-run')";

    @Inject
    ScheduledInvoiceRun run;

    @Inject
    BillingAccounts billingAccounts;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource dataSource;

    private Operator acme;

    @BeforeEach
    void startFromNothing() {
        fixtures.clear();
        acme = fixtures.operator("acme", "Acme AI Services");
    }

    @Test
    void closesEveryPeriodThatHasEndedSinceTheClientSignedUpOnce() {
        Client client = fixtures.client(acme, "alpha", "Alpha", "USD", "Europe/Berlin",
                Instant.parse("2026-03-20T10:00:00Z"));
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", "2026-04-10T00:00:00Z", 1, Tokens.input(1_000_000));
        // June ends in Berlin at 2026-06-30T22:00:00Z; a minute before, only March to May have ended.
        clock.set("2026-06-30T21:59:00Z");

        ScheduledInvoiceRun.Report first = run.run();
        clock.set("2026-06-30T22:00:00Z");
        ScheduledInvoiceRun.Report second = run.run();
        ScheduledInvoiceRun.Report third = run.run();

        assertThat(first.ran()).isTrue();
        assertThat(first.outcomes()).extracting(o -> o.invoice().period().start(), o -> o.invoice().total().text(),
                ClientCloseOutcome::status)
                .containsExactly(
                        tuple(LocalDate.of(2026, 3, 1), "0.00", Status.CREATED),
                        tuple(LocalDate.of(2026, 4, 1), "2.50", Status.CREATED),
                        tuple(LocalDate.of(2026, 5, 1), "0.00", Status.CREATED));
        assertThat(second.outcomes()).extracting(o -> o.invoice().period().start(), ClientCloseOutcome::status)
                .containsExactly(tuple(LocalDate.of(2026, 6, 1), Status.CREATED));
        assertThat(third.outcomes()).isEmpty();
        assertThat(fixtures.count("invoice")).isEqualTo(4);
    }

    @Test
    void closesPeriodsOnTheClientsBillingDay() {
        Client client = fixtures.client(acme, "alpha", "Alpha", "USD", "UTC", Instant.parse("2026-05-20T00:00:00Z"));
        billingAccounts.update(client.id(), new BillingTerms(15, 30, Locale.US, null, null, null, null, null,
                List.of()));
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", "2026-06-14T23:59:59Z", 1, Tokens.input(1_000_000));
        fixtures.rated(client, "gpt-4o", "2026-06-15T00:00:00Z", 1, Tokens.input(2_000_000));
        clock.set("2026-07-15T00:00:00Z");

        ScheduledInvoiceRun.Report report = run.run();

        assertThat(report.outcomes()).extracting(o -> o.invoice().period().text(), o -> o.invoice().total().text())
                .containsExactly(tuple("2026-05-15 to 2026-06-14", "2.50"), tuple("2026-06-15 to 2026-07-14", "5.00"));
    }

    @Test
    void stopsAtARefusedPeriodAndTriesItAgainNextTime() {
        Client client = fixtures.client(acme, "alpha", "Alpha", "USD", "UTC", Instant.parse("2026-04-02T00:00:00Z"));
        fixtures.unpriced(client, "mystery-model", "2026-04-10T00:00:00Z", 1);
        clock.set("2026-06-01T00:00:00Z");

        ScheduledInvoiceRun.Report report = run.run();
        ScheduledInvoiceRun.Report again = run.run();

        assertThat(report.outcomes()).extracting(ClientCloseOutcome::status, ClientCloseOutcome::error)
                .containsExactly(tuple(Status.REFUSED, BillingError.UNPRICED_USAGE));
        assertThat(again.outcomes()).extracting(ClientCloseOutcome::status).containsExactly(Status.REFUSED);
        assertThat(fixtures.count("invoice")).isZero();
    }

    @Test
    void skipsItsTurnWhileAnotherInstanceIsRunning() throws Exception {
        fixtures.client(acme, "alpha", "Alpha", "USD", "UTC", Instant.parse("2026-04-02T00:00:00Z"));
        clock.set("2026-06-01T00:00:00Z");

        try (Connection otherInstance = dataSource.getConnection()) {
            assertThat(call(otherInstance, "SELECT pg_try_advisory_lock(" + LOCK + ")")).isTrue();

            ScheduledInvoiceRun.Report skipped = run.run();

            assertThat(skipped.ran()).isFalse();
            assertThat(fixtures.count("invoice")).isZero();
            assertThat(call(otherInstance, "SELECT pg_advisory_unlock(" + LOCK + ")")).isTrue();
        }
        assertThat(run.run().outcomes()).hasSize(2);
    }

    private static boolean call(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

package io.tollbooth.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.invoice.ClientCloseOutcome.Status;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MonthEndRunTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);
    private static final String MID_MAY = "2026-05-15T12:00:00Z";

    @Inject
    MonthEndRun run;

    @Inject
    InvoiceCloser closer;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    private Operator acme;
    private Client alpha;
    private Client beta;
    private Client gamma;

    @BeforeEach
    void threeClientsOneWithUnpricedUsage() {
        fixtures.clear();
        clock.set("2026-06-02T00:00:00Z");
        acme = fixtures.operator("acme", "Acme AI Services");
        alpha = fixtures.client(acme, "alpha", "Alpha", "USD", "UTC");
        beta = fixtures.client(acme, "beta", "Beta", "USD", "UTC");
        gamma = fixtures.client(acme, "gamma", "Gamma", "EUR", "Europe/Berlin");
        fixtures.price(alpha, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(gamma, "gpt-4o", TokenKind.INPUT, "2.30");
        fixtures.rated(alpha, "gpt-4o", MID_MAY, 2, Tokens.input(1_000_000));
        fixtures.unpriced(beta, "mystery-model", MID_MAY, 1);
        fixtures.rated(gamma, "gpt-4o", MID_MAY, 1, Tokens.input(1_000_000));
    }

    @Test
    void closesEveryClientAndReportsTheOneItRefused() {
        List<ClientCloseOutcome> outcomes = run.closeMonth(acme.id(), MAY, false, true, "test-admin");

        assertThat(outcomes).extracting(ClientCloseOutcome::clientId, ClientCloseOutcome::status,
                o -> o.invoice() == null ? null : o.invoice().number(),
                o -> o.invoice() == null ? null : o.invoice().total().textWithCurrency(), ClientCloseOutcome::error)
                .containsExactly(
                        tuple(alpha.id(), Status.CREATED, "ACME-2026-000001", "5.00 USD", null),
                        tuple(beta.id(), Status.REFUSED, null, null, BillingError.UNPRICED_USAGE),
                        tuple(gamma.id(), Status.CREATED, "ACME-2026-000002", "2.30 EUR", null));
        assertThat(outcomes.get(1).reason()).contains("mystery-model (1 events)");
    }

    @Test
    void closesIntoDraftsUnlessAskedToFinalize() {
        List<ClientCloseOutcome> outcomes = run.closeMonth(acme.id(), MAY, false, false, "test-admin");

        assertThat(outcomes).extracting(o -> o.invoice() == null ? null : o.invoice().status())
                .containsExactly(InvoiceStatus.DRAFT, null, InvoiceStatus.DRAFT);
        assertThat(fixtures.count("invoice_number_counter")).isZero();
    }

    @Test
    void finalizesByDefaultAsTheShortFormAlwaysDid() {
        List<ClientCloseOutcome> outcomes = run.closeMonth(acme.id(), MAY, false);

        assertThat(outcomes).extracting(o -> o.invoice() == null ? null : o.invoice().number())
                .containsExactly("ACME-2026-000001", null, "ACME-2026-000002");
        assertThat(outcomes).extracting(o -> o.invoice() == null ? null : o.invoice().status())
                .containsExactly(InvoiceStatus.FINALIZED, null, InvoiceStatus.FINALIZED);
    }

    @Test
    void runningAgainCreatesNothingTwice() {
        run.closeMonth(acme.id(), MAY, false, true, "test-admin");

        List<ClientCloseOutcome> again = run.closeMonth(acme.id(), MAY, false, true, "test-admin");

        assertThat(again).extracting(ClientCloseOutcome::status)
                .containsExactly(Status.ALREADY_CLOSED, Status.REFUSED, Status.ALREADY_CLOSED);
        assertThat(again).extracting(o -> o.invoice() == null ? null : o.invoice().number())
                .containsExactly("ACME-2026-000001", null, "ACME-2026-000002");
        assertThat(fixtures.count("invoice")).isEqualTo(2);
    }

    @Test
    void finishesARunThatCrashedHalfWayWithoutGapsOrDuplicates() {
        // The first run got as far as alpha's draft and died before finalizing it or reaching gamma.
        closer.closeMonth(alpha.id(), MAY, false);

        List<ClientCloseOutcome> outcomes = run.closeMonth(acme.id(), MAY, false, true, "test-admin");

        assertThat(outcomes).extracting(ClientCloseOutcome::status, o -> o.invoice() == null ? null
                        : o.invoice().number())
                .containsExactly(tuple(Status.ALREADY_CLOSED, "ACME-2026-000001"), tuple(Status.REFUSED, null),
                        tuple(Status.CREATED, "ACME-2026-000002"));
        assertThat(fixtures.count("invoice")).isEqualTo(2);
        assertThat(fixtures.count("invoice_line")).isEqualTo(2);
    }

    @Test
    void leavesOutAClientThatSignedUpAfterTheMonth() {
        Client delta = fixtures.client(acme, "delta", "Delta", "USD", "UTC", Instant.parse("2026-06-01T00:00:00Z"));
        Client epsilon = fixtures.client(acme, "epsilon", "Epsilon", "USD", "Asia/Kolkata",
                Instant.parse("2026-05-31T18:29:59Z"));

        List<ClientCloseOutcome> outcomes = run.closeMonth(acme.id(), MAY, false);

        assertThat(outcomes).extracting(ClientCloseOutcome::clientId)
                .containsExactly(alpha.id(), beta.id(), epsilon.id(), gamma.id())
                .doesNotContain(delta.id());
    }

    @Test
    void refusesAnUnknownOperator() {
        assertThatThrownBy(() -> run.closeMonth(UUID.randomUUID(), MAY, false))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.OPERATOR_NOT_FOUND));
    }
}

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
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InvoiceCloserTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);
    private static final YearMonth JUNE = YearMonth.of(2026, 6);
    private static final String MID_MAY = "2026-05-15T12:00:00Z";
    private static final String AFTER_MAY_EVERYWHERE = "2026-06-02T00:00:00Z";

    @Inject
    InvoiceCloser closer;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    private Operator acme;

    @BeforeEach
    void startFromNothing() {
        fixtures.clear();
        clock.set(AFTER_MAY_EVERYWHERE);
        acme = fixtures.operator("acme", "Acme AI Services");
    }

    @Test
    void roundsSubCentUsageOncePerLineNotPerEvent() {
        // Case 20(a): 10,000 gpt-4o requests of 15 prompt tokens at 2.50 per 1M are 0.0000375 each.
        Client client = usdClient("tenant-acme");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", MID_MAY, 10_000, Tokens.input(15));

        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        assertThat(invoice.lines()).extracting(l -> l.model(), l -> l.kind(), l -> l.quantity(),
                l -> l.unitPriceText(), l -> l.amount().value())
                .containsExactly(tuple("gpt-4o", TokenKind.INPUT, 150_000L, "2.50", new BigDecimal("0.38")));
        assertThat(invoice.subtotal().value()).isEqualByComparingTo("0.38");
        assertThat(invoice.total().value()).isEqualTo(new BigDecimal("0.38"));
        assertThat(invoice.total().textWithCurrency()).isEqualTo("0.38 USD");
    }

    @Test
    void billsEachModelAndTokenKindOnItsOwnLineInKindOrder() {
        Client client = usdClient("tenant-acme");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(client, "gpt-4o", TokenKind.CACHED_INPUT, "1.25");
        fixtures.price(client, "gpt-4o", TokenKind.OUTPUT, "10.00");
        fixtures.price(client, "o4-mini", TokenKind.INPUT, "1.10");
        fixtures.price(client, "o4-mini", TokenKind.OUTPUT, "4.40");
        fixtures.rated(client, "o4-mini", MID_MAY, 3, Tokens.inputAndOutput(81, 1_035));
        fixtures.rated(client, "gpt-4o", MID_MAY, 2, Tokens.inputAndOutput(239, 2));
        fixtures.rated(client, "gpt-4o", MID_MAY, 1, Tokens.of(TokenKind.CACHED_INPUT, 15_872));

        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        // gpt-4o: 478 × 2.50 = 0.001195 → 0.00; 15,872 × 1.25 = 0.01984 → 0.02; 4 × 10.00 = 0.00004 → 0.00.
        // o4-mini: 243 × 1.10 = 0.0002673 → 0.00; 3,105 × 4.40 = 0.013662 → 0.01.
        assertThat(invoice.lines()).extracting(l -> l.lineNo(), l -> l.model(), l -> l.kind(), l -> l.quantity(),
                l -> l.amount().text())
                .containsExactly(
                        tuple(1, "gpt-4o", TokenKind.INPUT, 478L, "0.00"),
                        tuple(2, "gpt-4o", TokenKind.CACHED_INPUT, 15_872L, "0.02"),
                        tuple(3, "gpt-4o", TokenKind.OUTPUT, 4L, "0.00"),
                        tuple(4, "o4-mini", TokenKind.INPUT, 243L, "0.00"),
                        tuple(5, "o4-mini", TokenKind.OUTPUT, 3_105L, "0.01"));
        assertThat(invoice.total().text()).isEqualTo("0.03");
    }

    @Test
    void givesAPriceChangeWithinTheMonthItsOwnLine() {
        Client client = usdClient("tenant-acme");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.00", "2026-05-20T00:00:00Z");
        fixtures.rated(client, "gpt-4o", "2026-05-10T00:00:00Z", 3, Tokens.input(1_000_000));
        fixtures.rated(client, "gpt-4o", "2026-05-25T00:00:00Z", 2, Tokens.input(1_000_000));

        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        assertThat(invoice.lines()).extracting(l -> l.quantity(), l -> l.unitPriceText(), l -> l.amount().text())
                .containsExactly(tuple(3_000_000L, "2.50", "7.50"), tuple(2_000_000L, "2.00", "4.00"));
        assertThat(invoice.total().text()).isEqualTo("11.50");
    }

    @Test
    void roundsYenToWholeYenHalfUp() {
        Client client = fixtures.client(acme, "tokyo", "Tokyo Labs", "JPY", "Asia/Tokyo");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "150");
        fixtures.price(client, "gpt-4o", TokenKind.OUTPUT, "600");
        // Each event: 10,000 × 150 = 1.5 yen input and 2,500 × 600 = 1.5 yen output; 7 events = 10.5 per line.
        fixtures.rated(client, "gpt-4o", MID_MAY, 7, Tokens.inputAndOutput(10_000, 2_500));

        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        assertThat(invoice.lines()).extracting(l -> l.amount().value())
                .containsExactly(new BigDecimal("11"), new BigDecimal("11"));
        assertThat(invoice.total().value()).isEqualTo(new BigDecimal("22"));
        assertThat(invoice.total().textWithCurrency()).isEqualTo("22 JPY");
    }

    @Test
    void roundsKuwaitiDinarToThreeDecimalsHalfUp() {
        Client client = fixtures.client(acme, "kuwait", "Kuwait Data Co", "KWD", "Asia/Kuwait");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "1.25");
        // 4 × 500 × 1.25 per 1M = 0.0025 → 0.003 (per event it would be 4 × 0.001 = 0.004).
        fixtures.rated(client, "gpt-4o", MID_MAY, 4, Tokens.input(500));

        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        assertThat(invoice.total().value()).isEqualTo(new BigDecimal("0.003"));
        assertThat(invoice.total().textWithCurrency()).isEqualTo("0.003 KWD");
    }

    @Test
    void billsUsageToTheMonthOfTheClientsTimeZone() {
        Client client = fixtures.client(acme, "mumbai", "Mumbai Analytics", "USD", "Asia/Kolkata");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", "2026-04-30T18:29:59Z", 1, Tokens.input(1_000_000)); // April 30, 23:59
        fixtures.rated(client, "gpt-4o", "2026-04-30T18:30:00Z", 1, Tokens.input(2_000_000)); // May 1, 00:00
        fixtures.rated(client, "gpt-4o", "2026-05-31T18:00:00Z", 1, Tokens.input(4_000_000)); // May 31, 23:30
        fixtures.rated(client, "gpt-4o", "2026-05-31T20:00:00Z", 1, Tokens.input(8_000_000)); // June 1, 01:30
        clock.set("2026-07-01T00:00:00Z");

        InvoiceView may = closer.closeMonth(client.id(), MAY, false).invoice();
        InvoiceView june = closer.closeMonth(client.id(), JUNE, false).invoice();

        assertThat(may.lines()).extracting(l -> l.quantity()).containsExactly(6_000_000L);
        assertThat(may.total().text()).isEqualTo("15.00");
        assertThat(june.lines()).extracting(l -> l.quantity()).containsExactly(8_000_000L);
        assertThat(june.total().text()).isEqualTo("20.00");
        assertThat(may.period()).extracting(p -> p.start(), p -> p.end(), p -> p.timeZone())
                .containsExactly(LocalDate.of(2026, 5, 1), LocalDate.of(2026, 6, 1), "Asia/Kolkata");
    }

    @Test
    void closesIntoADraftWithoutANumber() {
        Client client = usdClient("tenant-acme");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", MID_MAY, 10, Tokens.input(1_000_000));

        InvoiceView draft = closer.closeMonth(client.id(), MAY, false).invoice();

        assertThat(draft.status()).isEqualTo(InvoiceStatus.DRAFT);
        assertThat(draft.number()).isNull();
        assertThat(draft.displayNumber()).isEqualTo("DRAFT");
        assertThat(draft.issueDate()).isNull();
        assertThat(draft.total().text()).isEqualTo("25.00");
        assertThat(fixtures.count("invoice_number_counter")).isZero();
    }

    @Test
    void closingTheSameMonthTwiceReturnsTheFirstInvoiceAndWritesNothing() {
        Client client = usdClient("tenant-acme");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", MID_MAY, 10, Tokens.input(1_000_000));
        ClosedInvoice first = closer.closeMonth(client.id(), MAY, false);

        ClosedInvoice second = closer.closeMonth(client.id(), MAY, false);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.invoice()).isEqualTo(first.invoice());
        assertThat(fixtures.count("invoice")).isEqualTo(1);
        assertThat(fixtures.count("invoice_line")).isEqualTo(1);
    }

    @Test
    void concurrentClosesOfOneClientCreateOneInvoice() throws Exception {
        Client client = usdClient("tenant-acme");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", MID_MAY, 100, Tokens.input(10_000));
        int closers = 4;
        CountDownLatch start = new CountDownLatch(1);
        Callable<ClosedInvoice> close = () -> {
            start.await();
            return closer.closeMonth(client.id(), MAY, false);
        };

        ExecutorService pool = Executors.newFixedThreadPool(closers);
        try {
            List<Future<ClosedInvoice>> futures = IntStream.range(0, closers).mapToObj(i -> pool.submit(close))
                    .toList();
            start.countDown();
            List<ClosedInvoice> closed = futures.stream().map(InvoiceCloserTest::await).toList();

            assertThat(closed).filteredOn(ClosedInvoice::created).hasSize(1);
            assertThat(closed).extracting(c -> c.invoice().id()).containsOnly(closed.get(0).invoice().id());
            assertThat(fixtures.count("invoice")).isEqualTo(1);
            assertThat(fixtures.count("invoice_line")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void billsRequestsAndAudioSecondsOnLinesOfTheirOwnRoundedOncePerLine() {
        Client client = usdClient("tenant-acme");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.unitPrice(client, "rerank-v3", LineUnit.REQUEST, "0.0015");
        fixtures.unitPrice(client, "whisper-1", LineUnit.REQUEST, "0.001");
        fixtures.unitPrice(client, "whisper-1", LineUnit.AUDIO_SECOND, "0.00025");
        fixtures.rated(client, "gpt-4o", MID_MAY, 10_000, Tokens.input(15));
        fixtures.ratedUnits(client, "rerank-v3", MID_MAY, 7, LineUnit.REQUEST, 1);
        fixtures.ratedUnits(client, "whisper-1", MID_MAY, 3, LineUnit.REQUEST, 1);
        fixtures.ratedUnits(client, "whisper-1", MID_MAY, 3, LineUnit.AUDIO_SECOND, 61);

        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        // 7 × 0.0015 = 0.0105 → 0.01 (each request rounded alone would be 0.00); 3 × 0.001 = 0.003 → 0.00;
        // 183 s × 0.00025 = 0.04575 → 0.05 (each 61 s rounded alone, 0.01525 → 0.02, would make 0.06).
        assertThat(invoice.lines()).extracting(l -> l.lineNo(), l -> l.description(), l -> l.unit(),
                l -> l.quantity(), l -> l.unitPriceText(), l -> l.pricedPer(), l -> l.amount().text())
                .containsExactly(
                        tuple(1, "gpt-4o input tokens", LineUnit.INPUT, 150_000L, "2.50", "1M tokens", "0.38"),
                        tuple(2, "rerank-v3 requests", LineUnit.REQUEST, 7L, "0.0015", "request", "0.01"),
                        tuple(3, "whisper-1 requests", LineUnit.REQUEST, 3L, "0.001", "request", "0.00"),
                        tuple(4, "whisper-1 audio seconds", LineUnit.AUDIO_SECOND, 183L, "0.00025", "second",
                                "0.05"));
        assertThat(invoice.lines()).extracting(InvoiceView.Line::kind)
                .containsExactly(TokenKind.INPUT, null, null, null);
        assertThat(invoice.subtotal().text()).isEqualTo("0.44");
        assertThat(invoice.usageSummary()).filteredOn(m -> m.model().equals("whisper-1")).singleElement()
                .satisfies(m -> assertThat(m.units()).extracting(u -> u.unitLabel(), u -> u.quantity(),
                        u -> u.amount().text())
                        .containsExactly(tuple("Requests", 3L, "0.00"), tuple("Audio seconds", 183L, "0.05")));
        assertThat(fixtures.count("rated_usage WHERE invoice_id IS NULL")).isZero();
    }

    @Test
    void refusesAPeriodWithUnpricedUsageAndSaysWhy() {
        Client client = usdClient("tenant-acme");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", MID_MAY, 1, Tokens.input(1_000));
        fixtures.unpriced(client, "mystery-model", MID_MAY, 3);

        assertThatThrownBy(() -> closer.closeMonth(client.id(), MAY, false))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.UNPRICED_USAGE))
                .hasMessage("period 2026-05 UTC of client tenant-acme has usage that could not be priced:"
                        + " mystery-model (3 events); add the missing prices and re-rate the usage before closing");
        assertThat(fixtures.count("invoice")).isZero();
        assertThat(fixtures.count("invoice_number_counter")).isZero();
    }

    @Test
    void refusesAMonthThatHasNotEndedInTheClientsZone() {
        Client client = fixtures.client(acme, "la", "LA Studio", "USD", "America/Los_Angeles");
        clock.set("2026-06-01T03:00:00Z"); // still May 31, 20:00 in Los Angeles

        assertThatThrownBy(() -> closer.closeMonth(client.id(), MAY, false))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.PERIOD_NOT_ENDED))
                .hasMessageContaining("ends at 2026-06-01T07:00:00Z");
        assertThat(fixtures.count("invoice")).isZero();

        clock.set("2026-06-01T07:00:00Z");
        assertThat(closer.closeMonth(client.id(), MAY, false).created()).isTrue();
    }

    @Test
    void closesTheCurrentMonthOnlyWhenAskedToCloseEarly() {
        Client client = usdClient("tenant-acme");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", MID_MAY, 4, Tokens.input(1_000_000));
        clock.set("2026-05-20T09:00:00Z");

        assertThatThrownBy(() -> closer.closeMonth(client.id(), MAY, false))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.PERIOD_NOT_ENDED));
        ClosedInvoice early = closer.closeMonth(client.id(), MAY, true);

        assertThat(early.created()).isTrue();
        assertThat(early.invoice().total().text()).isEqualTo("10.00");
        assertThat(early.invoice().period().lastDay()).isEqualTo(LocalDate.of(2026, 5, 31));
    }

    @Test
    void refusesAMonthThatHasNotBegunEvenWhenClosingEarly() {
        Client client = fixtures.client(acme, "mumbai", "Mumbai Analytics", "USD", "Asia/Kolkata");
        clock.set("2026-05-31T18:29:59Z"); // May 31, 23:59:59 in Kolkata

        assertThatThrownBy(() -> closer.closeMonth(client.id(), JUNE, true))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.PERIOD_NOT_ENDED))
                .hasMessage("period 2026-06 Asia/Kolkata of client mumbai has not started yet;"
                        + " it begins at 2026-05-31T18:30:00Z");
        assertThat(fixtures.count("invoice")).isZero();
    }

    @Test
    void closesAMonthWithoutUsageIntoAZeroInvoice() {
        Client client = fixtures.client(acme, "quiet", "Quiet Corp", "KWD", "UTC");

        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        assertThat(invoice.lines()).isEmpty();
        assertThat(invoice.total().textWithCurrency()).isEqualTo("0.000 KWD");
    }

    @Test
    void refusesUsageRatedInAnotherCurrency() {
        Client client = usdClient("tenant-acme");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", MID_MAY, 1, Tokens.input(1_000));
        fixtures.setClientCurrency(client, "EUR");

        assertThatThrownBy(() -> closer.closeMonth(client.id(), MAY, false))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.CURRENCY_MISMATCH))
                .hasMessageContaining("rated in USD but the client is billed in EUR");
    }

    @Test
    void refusesAnUnknownClient() {
        assertThatThrownBy(() -> closer.closeMonth(UUID.randomUUID(), MAY, false))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.CLIENT_NOT_FOUND));
    }

    private Client usdClient(String slug) {
        return fixtures.client(acme, slug, "Client " + slug, "USD", "UTC");
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError("a concurrent close failed", e);
        }
    }
}

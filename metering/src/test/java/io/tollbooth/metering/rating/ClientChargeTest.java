package io.tollbooth.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How a client's charge is found and worked out next to the operator's cost: markups, the client's own prices,
 * long-context tiers, monthly bands, per-request prices and corrected prices, with plain objects only. The
 * operator's costs are PLAN-T's prices (CASES.md) and the client's markup is 20 %.
 */
class ClientChargeTest {

    private static final UUID OPERATOR = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final UUID PLAN = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
    private static final UUID GPT_4O = UUID.fromString("00000000-0000-0000-0000-0000000000c1");
    private static final UUID CLAUDE_SONNET = UUID.fromString("00000000-0000-0000-0000-0000000000c3");
    private static final UUID ACME_ID = UUID.fromString("00000000-0000-0000-0000-0000000000d1");
    private static final ClientPlan ACME = new ClientPlan(ACME_ID, OPERATOR, PLAN, "USD", ZoneOffset.UTC);

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-10T12:00:00Z");
    private static final Markup TWENTY_PERCENT = new Markup(UUID.randomUUID(), ACME_ID, new BigDecimal("20"), START,
            1);

    private final Price gpt4oInputCost = cost(GPT_4O, UsageUnit.INPUT, 0, "2.50");
    private final UsageRater rater = new UsageRater();

    @Test
    void chargesTheCostTimesTheMarkupAndRecordsBoth() {
        // Case 1's tokens: cost 0.0204575, charge 20 % above it.
        Rating rating = rater.rate(event("gpt-4o", new TokenCounts(239, 15_872, 0, 2, 0)), ACME, costBook().build());

        List<RatedLine> lines = lines(rating);

        assertThat(rating.source()).isEqualTo(ChargeSource.MARKUP);
        assertThat(lines).extracting(RatedLine::unit, line -> plain(line.unitPrice()), line -> plain(line.amount()),
                        line -> plain(line.costAmount()), RatedLine::markup)
                .containsExactly(
                        tuple(UsageUnit.INPUT, "3", "0.000717", "0.0005975", TWENTY_PERCENT),
                        tuple(UsageUnit.CACHED_INPUT, "1.5", "0.023808", "0.01984", TWENTY_PERCENT),
                        tuple(UsageUnit.OUTPUT, "12", "0.000024", "0.00002", TWENTY_PERCENT));
        assertThat(lines.get(0).cost()).isEqualTo(gpt4oInputCost);
        assertThat(charge(lines)).isEqualByComparingTo("0.0245490");
        assertThat(cost(lines)).isEqualByComparingTo("0.0204575");
    }

    @Test
    void pricesTheWholeRequestAtTheLongContextTierWhenThePromptIsAbove200kTokens() {
        // Prompt 150,000 + 40,000 cached + 10,001 cache write = 200,001 tokens: every kind at the tier's price.
        Rating above = rater.rate(event("claude-sonnet", new TokenCounts(150_000, 40_000, 10_001, 1_000, 0)), ACME,
                costBook().build());
        Rating at = rater.rate(event("claude-sonnet", new TokenCounts(150_000, 40_000, 10_000, 1_000, 0)), ACME,
                costBook().build());

        assertThat(lines(above)).extracting(line -> plain(line.cost().unitPrice()))
                .containsExactly("6", "0.6", "7.5", "22.5");
        assertThat(cost(lines(above))).isEqualByComparingTo("1.0215075");
        assertThat(charge(lines(above))).isEqualByComparingTo("1.225809");
        assertThat(cost(lines(at))).isEqualByComparingTo("0.5145");
    }

    @Test
    void prefersTheClientsOwnPriceToItsPlanAndItsPlanToItsMarkup() {
        Price own = clientPrice(GPT_4O, UsageUnit.INPUT, 0, TierMode.GRADUATED, "2.00");
        Price plan = Price.flat(UUID.randomUUID(), PLAN, GPT_4O, UsageUnit.INPUT, new BigDecimal("2.75"), "USD",
                START);
        UsageEvent event = event("gpt-4o", TokenCounts.of(1_000, 0));

        Rating withOwn = rater.rate(event, ACME, costBook().plan(plan).clientPrice(own).build());
        Rating withPlan = rater.rate(event, ACME, costBook().plan(plan).build());

        assertThat(withOwn.source()).isEqualTo(ChargeSource.CLIENT);
        assertThat(lines(withOwn)).extracting(RatedLine::chargePrice, line -> plain(line.amount()),
                line -> plain(line.costAmount())).containsExactly(tuple(own, "0.002", "0.0025"));
        assertThat(withPlan.source()).isEqualTo(ChargeSource.PLAN);
        assertThat(lines(withPlan)).extracting(RatedLine::chargePrice, line -> plain(line.amount()))
                .containsExactly(tuple(plan, "0.00275"));
    }

    @Test
    void splitsAnEventAcrossGraduatedBandsOfTheMonth() {
        Price first = clientPrice(GPT_4O, UsageUnit.INPUT, 0, TierMode.GRADUATED, "2.00");
        Price beyondAMillion = clientPrice(GPT_4O, UsageUnit.INPUT, 1_000_000, TierMode.GRADUATED, "1.00");
        Rating rating = rater.rate(event("gpt-4o", TokenCounts.of(2_000, 0)), ACME,
                costBook().clientPrice(first).clientPrice(beyondAMillion).build());
        MonthlyQuantities month = monthHolding(UsageUnit.INPUT, 999_000);

        List<RatedLine> lines = RatedLines.of(rating, ACME, MAY, month);

        assertThat(lines).extracting(RatedLine::bandFrom, RatedLine::quantity, RatedLine::chargePrice,
                        line -> plain(line.amount()), line -> plain(line.costAmount()))
                .containsExactly(
                        tuple(0L, 1_000L, first, "0.002", "0.0025"),
                        tuple(1_000_000L, 1_000L, beyondAMillion, "0.001", "0.0025"));
        assertThat(month.current(key(UsageUnit.INPUT))).isEqualTo(1_001_000);
        assertThat(month.volumeBandChanged()).isEmpty();
    }

    @Test
    void pricesAVolumeBandedEventAtTheBandTheMonthsTotalReaches() {
        Price first = clientPrice(GPT_4O, UsageUnit.INPUT, 0, TierMode.VOLUME, "2.00");
        Price beyondAMillion = clientPrice(GPT_4O, UsageUnit.INPUT, 1_000_000, TierMode.VOLUME, "1.00");
        Rating rating = rater.rate(event("gpt-4o", TokenCounts.of(2_000, 0)), ACME,
                costBook().clientPrice(first).clientPrice(beyondAMillion).build());
        MonthlyQuantities month = monthHolding(UsageUnit.INPUT, 999_000);

        List<RatedLine> lines = RatedLines.of(rating, ACME, MAY, month);

        assertThat(lines).extracting(RatedLine::bandFrom, RatedLine::quantity, line -> plain(line.amount()))
                .containsExactly(tuple(1_000_000L, 2_000L, "0.002"));
        assertThat(month.volumeBandChanged()).containsExactly(key(UsageUnit.INPUT));
    }

    @Test
    void ratesWithTheCorrectionOfAPriceEnteredLaterForTheSameInstant() {
        // Case 15: 10.00 per token typed into a per-1M field, then corrected for the same instant.
        Instant typoFrom = Instant.parse("2026-05-01T00:00:00Z");
        Price typo = new Price(UUID.randomUUID(), OPERATOR, GPT_4O, UsageUnit.OUTPUT, 0, 0, TierMode.GRADUATED,
                new BigDecimal("10000000"), "USD", typoFrom, 7);
        Price correction = new Price(UUID.randomUUID(), OPERATOR, GPT_4O, UsageUnit.OUTPUT, 0, 0, TierMode.GRADUATED,
                new BigDecimal("10.00"), "USD", typoFrom, 8);
        UsageEvent event = event("gpt-4o", TokenCounts.of(0, 100));

        Rating typed = rater.rate(event, ACME, costBook().cost(typo).build());
        Rating corrected = rater.rate(event, ACME, costBook().cost(correction).cost(typo).build());

        assertThat(cost(lines(typed))).isEqualByComparingTo("1000");
        assertThat(charge(lines(typed))).isEqualByComparingTo("1200");
        assertThat(lines(corrected)).extracting(RatedLine::cost).containsExactly(correction);
        assertThat(cost(lines(corrected))).isEqualByComparingTo("0.001");
    }

    @Test
    void chargesEachRequestWhereTheCostHasAPerRequestPrice() {
        Price perRequest = cost(GPT_4O, UsageUnit.REQUEST, 0, "0.001");

        Rating rating = rater.rate(event("gpt-4o", TokenCounts.of(1_000, 0)), ACME, costBook().cost(perRequest).build());

        assertThat(lines(rating)).extracting(RatedLine::unit, RatedLine::quantity, line -> plain(line.amount()),
                        line -> plain(line.costAmount()))
                .containsExactly(
                        tuple(UsageUnit.INPUT, 1_000L, "0.003", "0.0025"),
                        tuple(UsageUnit.REQUEST, 1L, "0.0012", "0.001"));
    }

    @Test
    void chargesAudioByTheSecondRoundedToTheNearestWholeSecond() {
        Price perSecond = cost(GPT_4O, UsageUnit.AUDIO_SECOND, 0, "0.0001");
        PriceBook book = costBook().cost(perSecond).build();

        Rating twelveAndAHalf = rater.rate(audioEvent("12.5"), ACME, book);
        Rating twelvePointFour = rater.rate(audioEvent("12.4"), ACME, book);

        assertThat(lines(twelveAndAHalf)).extracting(RatedLine::unit, RatedLine::quantity,
                        line -> plain(line.amount()), line -> plain(line.costAmount()))
                .containsExactly(tuple(UsageUnit.AUDIO_SECOND, 13L, "0.00156", "0.0013"));
        assertThat(lines(twelvePointFour)).extracting(RatedLine::quantity).containsExactly(12L);
    }

    @Test
    void leavesAnAudioEventUnpricedWhenTheModelHasNoPerSecondPrice() {
        Rating rating = rater.rate(audioEvent("3"), ACME, costBook().build());

        assertThat(rating.status()).isEqualTo(RatingStatus.UNPRICED);
        assertThat(rating.reason()).isEqualTo("no audio_second cost for 'gpt-4o' at 2026-05-10T12:00:00Z to apply"
                + " the client's markup to");
    }

    @Test
    void leavesTheCostUnknownWhereTheOperatorHasNoCostPrice() {
        Price plan = Price.flat(UUID.randomUUID(), PLAN, GPT_4O, UsageUnit.INPUT, new BigDecimal("2.75"), "USD",
                START);
        PriceBook planOnly = PriceBook.builder().client(ACME).model(OPERATOR, "gpt-4o", GPT_4O).plan(plan).build();

        Rating rating = rater.rate(event("gpt-4o", TokenCounts.of(1_000, 0)), ACME, planOnly);

        assertThat(lines(rating)).extracting(line -> plain(line.amount()), RatedLine::cost, RatedLine::costAmount)
                .containsExactly(tuple("0.00275", null, null));
    }

    @Test
    void leavesAnEventUnpricedWhenTheMarkupWouldApplyToACostInAnotherCurrency() {
        ClientPlan euroClient = new ClientPlan(ACME_ID, OPERATOR, PLAN, "EUR", ZoneOffset.UTC);

        Rating rating = rater.rate(event("gpt-4o", TokenCounts.of(1_000, 0)), euroClient,
                costBook().client(euroClient).build());

        assertThat(rating.status()).isEqualTo(RatingStatus.UNPRICED);
        assertThat(rating.reason()).isEqualTo("the input cost is in USD, the client is charged in EUR"
                + " (no exchange rates)");
    }

    @Test
    void leavesAnEventUnpricedWhenTheMarkupHasNoCostToApplyTo() {
        Rating rating = rater.rate(event("gpt-4o", new TokenCounts(10, 0, 5, 0, 0)), ACME, costBook().build());

        assertThat(rating.status()).isEqualTo(RatingStatus.UNPRICED);
        assertThat(rating.reason()).isEqualTo("no cache_write cost for 'gpt-4o' at 2026-05-10T12:00:00Z to apply the"
                + " client's markup to");
    }

    /** PLAN-T's prices as the operator's cost, with claude-sonnet's long-context tier, and a 20 % markup. */
    private PriceBook.Builder costBook() {
        return PriceBook.builder()
                .client(ACME)
                .model(OPERATOR, "gpt-4o", GPT_4O)
                .model(OPERATOR, "claude-sonnet", CLAUDE_SONNET)
                .markup(TWENTY_PERCENT)
                .cost(gpt4oInputCost)
                .cost(cost(GPT_4O, UsageUnit.CACHED_INPUT, 0, "1.25"))
                .cost(cost(GPT_4O, UsageUnit.OUTPUT, 0, "10.00"))
                .cost(cost(CLAUDE_SONNET, UsageUnit.INPUT, 0, "3.00"))
                .cost(cost(CLAUDE_SONNET, UsageUnit.CACHED_INPUT, 0, "0.30"))
                .cost(cost(CLAUDE_SONNET, UsageUnit.CACHE_WRITE, 0, "3.75"))
                .cost(cost(CLAUDE_SONNET, UsageUnit.OUTPUT, 0, "15.00"))
                .cost(cost(CLAUDE_SONNET, UsageUnit.INPUT, 200_000, "6.00"))
                .cost(cost(CLAUDE_SONNET, UsageUnit.CACHED_INPUT, 200_000, "0.60"))
                .cost(cost(CLAUDE_SONNET, UsageUnit.CACHE_WRITE, 200_000, "7.50"))
                .cost(cost(CLAUDE_SONNET, UsageUnit.OUTPUT, 200_000, "22.50"));
    }

    private static Price cost(UUID model, UsageUnit unit, long longContextOver, String unitPrice) {
        return new Price(UUID.randomUUID(), OPERATOR, model, unit, longContextOver, 0, TierMode.GRADUATED,
                new BigDecimal(unitPrice), "USD", START, 1);
    }

    private static Price clientPrice(UUID model, UsageUnit unit, long monthlyFrom, TierMode mode, String unitPrice) {
        return new Price(UUID.randomUUID(), ACME_ID, model, unit, 0, monthlyFrom, mode, new BigDecimal(unitPrice),
                "USD", START, 1);
    }

    private static MonthlyKey key(UsageUnit unit) {
        return new MonthlyKey(ACME_ID, GPT_4O, unit, YearMonth.from(MAY.atZone(ZoneOffset.UTC)));
    }

    private static MonthlyQuantities monthHolding(UsageUnit unit, long quantity) {
        return MonthlyQuantities.startingFrom(Map.of(key(unit), quantity));
    }

    private static List<RatedLine> lines(Rating rating) {
        return RatedLines.of(rating, ACME, MAY, MonthlyQuantities.empty());
    }

    private static BigDecimal charge(List<RatedLine> lines) {
        return lines.stream().map(RatedLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BigDecimal cost(List<RatedLine> lines) {
        return lines.stream().map(RatedLine::costAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static UsageEvent event(String model, TokenCounts tokens) {
        String requestId = UUID.randomUUID().toString();
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, requestId, ACME_ID.toString(), null, null,
                "chat.completions", model, model, "simulator", false, UsageData.Status.OK,
                UsageData.UsageSource.REPORTED, tokens, 120, 40L);
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest(requestId), MAY, data);
    }

    /** A transcription metered by duration: no tokens, {@code seconds} of audio. */
    private static UsageEvent audioEvent(String seconds) {
        String requestId = UUID.randomUUID().toString();
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, requestId, ACME_ID.toString(), null, null,
                "audio.transcriptions", "gpt-4o", "gpt-4o", "simulator", false, UsageData.Status.OK,
                UsageData.UsageSource.REPORTED, TokenCounts.ZERO, 900, null, new BigDecimal(seconds), null, null);
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest(requestId), MAY, data);
    }

    private static String plain(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}

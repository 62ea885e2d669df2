package io.tollbooth.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Rates events against an in-memory price plan holding the prices of PLAN-T (CASES.md), with plain objects only. */
class UsageRaterTest {

    private static final UUID OPERATOR = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final UUID PLAN = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
    private static final UUID GPT_4O = UUID.fromString("00000000-0000-0000-0000-0000000000c1");
    private static final UUID O4_MINI = UUID.fromString("00000000-0000-0000-0000-0000000000c2");
    private static final UUID CLAUDE_SONNET = UUID.fromString("00000000-0000-0000-0000-0000000000c3");
    private static final ClientPlan ACME = new ClientPlan(UUID.fromString("00000000-0000-0000-0000-0000000000d1"),
            OPERATOR, PLAN, "USD", ZoneOffset.UTC);

    private static final Instant PLAN_START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant GPT_4O_INPUT_CHANGE = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-10T12:00:00Z");

    private final Price gpt4oInput = price(GPT_4O, UsageUnit.INPUT, "2.50", PLAN_START);
    private final Price gpt4oInputFromJune = price(GPT_4O, UsageUnit.INPUT, "3.00", GPT_4O_INPUT_CHANGE);
    private final Price gpt4oCached = price(GPT_4O, UsageUnit.CACHED_INPUT, "1.25", PLAN_START);
    private final Price gpt4oOutput = price(GPT_4O, UsageUnit.OUTPUT, "10.00", PLAN_START);

    private final PriceBook planT = PriceBook.builder()
            .client(ACME)
            .model(OPERATOR, "gpt-4o", GPT_4O)
            .model(OPERATOR, "o4-mini", O4_MINI)
            .model(OPERATOR, "claude-sonnet", CLAUDE_SONNET)
            .plan(gpt4oInput)
            .plan(gpt4oInputFromJune)
            .plan(gpt4oCached)
            .plan(gpt4oOutput)
            .plan(price(O4_MINI, UsageUnit.INPUT, "1.10", PLAN_START))
            .plan(price(O4_MINI, UsageUnit.CACHED_INPUT, "0.275", PLAN_START))
            .plan(price(O4_MINI, UsageUnit.OUTPUT, "4.40", PLAN_START))
            .plan(price(CLAUDE_SONNET, UsageUnit.INPUT, "3.00", PLAN_START))
            .plan(price(CLAUDE_SONNET, UsageUnit.CACHED_INPUT, "0.30", PLAN_START))
            .plan(price(CLAUDE_SONNET, UsageUnit.CACHE_WRITE, "3.75", PLAN_START))
            .plan(price(CLAUDE_SONNET, UsageUnit.OUTPUT, "15.00", PLAN_START))
            .build();

    private final UsageRater rater = new UsageRater();

    @Test
    void chargesCachedTokensAtTheCachedRate() {
        // Case 1: prompt 16,111 = 239 uncached + 15,872 cached; completion 2.
        Rating rating = rater.rate(event("gpt-4o", new TokenCounts(239, 15_872, 0, 2, 0), MAY), ACME, planT);

        assertThat(rating.status()).isEqualTo(RatingStatus.RATED);
        assertThat(rating.modelId()).isEqualTo(GPT_4O);
        assertThat(rating.source()).isEqualTo(ChargeSource.PLAN);
        assertThat(lines(rating, MAY))
                .extracting(RatedLine::unit, RatedLine::quantity, RatedLine::chargePrice, line -> plain(line.amount()))
                .containsExactly(
                        tuple(UsageUnit.INPUT, 239L, gpt4oInput, "0.0005975"),
                        tuple(UsageUnit.CACHED_INPUT, 15_872L, gpt4oCached, "0.01984"),
                        tuple(UsageUnit.OUTPUT, 2L, gpt4oOutput, "0.00002"));
        assertThat(total(rating, MAY)).isEqualTo("0.0204575");
    }

    @Test
    void ratesReasoningTokensOnlyAsPartOfOutput() {
        // Case 10: completion 482 of which 448 reasoning; reasoning is never charged again.
        Rating rating = rater.rate(event("o4-mini", new TokenCounts(17, 0, 0, 482, 448), MAY), ACME, planT);

        assertThat(lines(rating, MAY)).extracting(RatedLine::unit, RatedLine::quantity)
                .containsExactly(tuple(UsageUnit.INPUT, 17L), tuple(UsageUnit.OUTPUT, 482L));
        assertThat(total(rating, MAY)).isEqualTo("0.0021395");
    }

    @Test
    void chargesCacheWritesAndCacheReadsAtTheirOwnRates() {
        // Case 9: Anthropic input 1, cache write 225, cache read 96,560, output 82.
        Rating rating = rater.rate(event("claude-sonnet", new TokenCounts(1, 96_560, 225, 82, 0), MAY), ACME,
                planT);

        assertThat(lines(rating, MAY)).extracting(RatedLine::unit, line -> plain(line.amount()))
                .containsExactly(
                        tuple(UsageUnit.INPUT, "0.000003"),
                        tuple(UsageUnit.CACHED_INPUT, "0.028968"),
                        tuple(UsageUnit.CACHE_WRITE, "0.00084375"),
                        tuple(UsageUnit.OUTPUT, "0.00123"));
        assertThat(total(rating, MAY)).isEqualTo("0.03104475");
    }

    @Test
    void doesNotDiscountOrDoubleChargeCachedPrompts() {
        // Case 8: prompt 2,006 with 1,920 cached arrives as 86 uncached + 1,920 cached.
        Rating rating = rater.rate(event("gpt-4o", new TokenCounts(86, 1_920, 0, 300, 0), MAY), ACME, planT);

        assertThat(total(rating, MAY)).isEqualTo("0.005615");
    }

    @Test
    void keepsEveryDigitOfTinyAmounts() {
        Rating rating = rater.rate(event("o4-mini", new TokenCounts(0, 1, 0, 0, 0), MAY), ACME, planT);

        assertThat(total(rating, MAY)).isEqualTo("0.000000275");
    }

    @Test
    void ratesAnEventAtThePriceValidAtItsTime() {
        Instant justBefore = GPT_4O_INPUT_CHANGE.minusMillis(1);

        Rating before = rater.rate(event("gpt-4o", TokenCounts.of(1_000, 0), justBefore), ACME, planT);
        Rating at = rater.rate(event("gpt-4o", TokenCounts.of(1_000, 0), GPT_4O_INPUT_CHANGE), ACME, planT);

        assertThat(lines(before, justBefore)).extracting(RatedLine::chargePrice).containsExactly(gpt4oInput);
        assertThat(total(before, justBefore)).isEqualTo("0.0025");
        assertThat(lines(at, GPT_4O_INPUT_CHANGE)).extracting(RatedLine::chargePrice)
                .containsExactly(gpt4oInputFromJune);
        assertThat(total(at, GPT_4O_INPUT_CHANGE)).isEqualTo("0.003");
    }

    @Test
    void ratesEachEventWithThePlanThatBilledTheClientAtItsTime() {
        // Acme moves to plan PREMIUM (gpt-4o input 4.00 per 1M) on 1 July; a correction entered later for the same
        // instant moves it to PREMIUM-B (5.00) instead. June stays on PLAN-T's 3.00.
        UUID premium = UUID.fromString("00000000-0000-0000-0000-0000000000b2");
        UUID premiumB = UUID.fromString("00000000-0000-0000-0000-0000000000b3");
        Instant july = Instant.parse("2026-07-01T00:00:00Z");
        Price premiumInput = Price.flat(UUID.randomUUID(), premium, GPT_4O, UsageUnit.INPUT, new BigDecimal("4.00"),
                "USD", PLAN_START);
        Price premiumBInput = Price.flat(UUID.randomUUID(), premiumB, GPT_4O, UsageUnit.INPUT,
                new BigDecimal("5.00"), "USD", PLAN_START);
        PriceBook moved = PriceBook.builder()
                .client(ACME)
                .model(OPERATOR, "gpt-4o", GPT_4O)
                .plan(gpt4oInput)
                .plan(gpt4oInputFromJune)
                .plan(premiumInput)
                .plan(premiumBInput)
                .planChange(new PlanChange(ACME.clientId(), premium, july, 1))
                .planChange(new PlanChange(ACME.clientId(), premiumB, july, 2))
                .build();
        Instant lastOfJune = july.minusMillis(1);

        Rating june = rater.rate(event("gpt-4o", TokenCounts.of(1_000, 0), lastOfJune), ACME, moved);
        Rating firstOfJuly = rater.rate(event("gpt-4o", TokenCounts.of(1_000, 0), july), ACME, moved);

        assertThat(moved.planAt(ACME, lastOfJune)).isEqualTo(PLAN);
        assertThat(moved.planAt(ACME, july)).isEqualTo(premiumB);
        assertThat(lines(june, lastOfJune)).extracting(RatedLine::chargePrice).containsExactly(gpt4oInputFromJune);
        assertThat(total(june, lastOfJune)).isEqualTo("0.003");
        assertThat(lines(firstOfJuly, july)).extracting(RatedLine::chargePrice).containsExactly(premiumBInput);
        assertThat(total(firstOfJuly, july)).isEqualTo("0.005");
    }

    @Test
    void leavesAnUnknownModelUnpricedInsteadOfZero() {
        // Case 11: a dated snapshot that the plan does not list.
        Rating rating = rater.rate(event("gpt-4o-2099-01-01", TokenCounts.of(1_000, 500), MAY), ACME, planT);

        assertThat(rating.status()).isEqualTo(RatingStatus.UNPRICED);
        assertThat(rating.modelId()).isNull();
        assertThat(rating.units()).isEmpty();
        assertThat(rating.reason()).isEqualTo("model 'gpt-4o-2099-01-01' is not in the operator's catalogue");
    }

    @Test
    void leavesAnEventUnpricedWhenAUsedKindHasNoPrice() {
        // PLAN-T has no cache-write price for gpt-4o.
        Rating rating = rater.rate(event("gpt-4o", new TokenCounts(10, 0, 5, 10, 0), MAY), ACME, planT);

        assertThat(rating.status()).isEqualTo(RatingStatus.UNPRICED);
        assertThat(rating.modelId()).isEqualTo(GPT_4O);
        assertThat(rating.units()).isEmpty();
        assertThat(rating.reason())
                .isEqualTo("no cache_write price for 'gpt-4o' in the client's plan at 2026-05-10T12:00:00Z");
    }

    @Test
    void leavesAnEventUnpricedBeforeTheModelsFirstPrice() {
        Instant beforePlan = PLAN_START.minusSeconds(1);

        Rating rating = rater.rate(event("gpt-4o", TokenCounts.of(10, 10), beforePlan), ACME, planT);

        assertThat(rating.status()).isEqualTo(RatingStatus.UNPRICED);
        assertThat(rating.reason()).isEqualTo("'gpt-4o' has no price at 2025-12-31T23:59:59Z: no price of the"
                + " client's own, none in its plan and no markup over cost");
    }

    @Test
    void leavesAnEventUnpricedWhenAPriceIsInAnotherCurrencyThanTheClient() {
        UUID localLlama = UUID.randomUUID();
        PriceBook mixed = PriceBook.builder()
                .client(ACME)
                .model(OPERATOR, "local-llama", localLlama)
                .plan(price(localLlama, UsageUnit.INPUT, "0.20", PLAN_START))
                .plan(Price.flat(UUID.randomUUID(), PLAN, localLlama, UsageUnit.OUTPUT, new BigDecimal("0.60"), "EUR",
                        PLAN_START))
                .build();

        Rating rating = rater.rate(event("local-llama", TokenCounts.of(26, 282), MAY), ACME, mixed);

        assertThat(rating.status()).isEqualTo(RatingStatus.UNPRICED);
        assertThat(rating.reason()).isEqualTo("the output price is in EUR, the client is charged in USD");
    }

    @Test
    void ratesAnEventWithNoTokensAtZeroWithoutLines() {
        Rating rating = rater.rate(event("gpt-4o", TokenCounts.ZERO, MAY), ACME, planT);

        assertThat(rating.status()).isEqualTo(RatingStatus.RATED);
        assertThat(lines(rating, MAY)).isEmpty();
        assertThat(total(rating, MAY)).isEqualTo("0");
    }

    @Test
    void neverRatesARejectedEvent() {
        UsageEvent rejected = event("gpt-4o", TokenCounts.of(100, 100), MAY, UsageData.Status.REJECTED);

        Rating rating = rater.rate(rejected, ACME, planT);

        assertThat(rating.status()).isEqualTo(RatingStatus.REJECTED);
        assertThat(rating.units()).isEmpty();
    }

    private List<RatedLine> lines(Rating rating, Instant at) {
        return RatedLines.of(rating, ACME, at, MonthlyQuantities.empty());
    }

    private String total(Rating rating, Instant at) {
        return plain(lines(rating, at).stream().map(RatedLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    private static Price price(UUID model, UsageUnit unit, String perMillion, Instant from) {
        return Price.flat(UUID.randomUUID(), PLAN, model, unit, new BigDecimal(perMillion), "USD", from);
    }

    private static UsageEvent event(String model, TokenCounts tokens, Instant time) {
        return event(model, tokens, time, UsageData.Status.OK);
    }

    private static UsageEvent event(String model, TokenCounts tokens, Instant time, UsageData.Status status) {
        String requestId = UUID.randomUUID().toString();
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, requestId, ACME.clientId().toString(), null, null,
                "chat.completions", model, model, "simulator", false, status, UsageData.UsageSource.REPORTED, tokens,
                120, 40L);
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest(requestId), time, data);
    }

    private static String plain(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}

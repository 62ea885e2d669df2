package io.tollbooth.gateway.limits;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.TokenKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The prices of one model for one client, per token kind and over time, as admission prices a request: at the price
 * valid when the request arrives, chosen as the rating chooses. The client's own prices (table {@code client_price})
 * replace its plan's (table {@code price}) for the model from the first instant one of them applies; where neither
 * has a price yet, the client's markup (table {@code client_markup}) over the operator's cost (table
 * {@code cost_price}) prices it.
 *
 * <p>Rows of one kind from one instant are tiers of one price (long context, monthly bands) or corrections of each
 * other: admission cannot know which applies before the answer, so it takes the dearest, which can only reserve too
 * much, never too little. Of two markups entered for one instant the later entry wins, as in the rating.
 */
final class ModelPrices {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final Map<TokenKind, NavigableMap<Instant, PricePoint>> plan;
    private final Map<TokenKind, NavigableMap<Instant, PricePoint>> agreed;
    private final Map<TokenKind, NavigableMap<Instant, PricePoint>> costs;
    private final NavigableMap<Instant, MarkupPoint> markups = new TreeMap<>();
    /** The first instant a price agreed with the client applies, or null when it has none for the model. */
    private final Instant agreedFrom;
    /** The first instant a plan price of the model applies, or null when the plan has none. */
    private final Instant planFrom;

    /** Plan prices only. */
    ModelPrices(List<PricePoint> prices) {
        this(prices, List.of(), List.of(), List.of());
    }

    /**
     * @param plan the plan's prices of the model
     * @param agreed the prices agreed with the client for the model, which replace the plan's once one applies
     * @param costs the operator's cost prices of the model
     * @param markups the client's markups over cost, which price the model while neither of the above does
     */
    ModelPrices(List<PricePoint> plan, List<PricePoint> agreed, List<PricePoint> costs, List<MarkupPoint> markups) {
        this.plan = byKind(plan);
        this.agreed = byKind(agreed);
        this.costs = byKind(costs);
        for (MarkupPoint markup : markups) {
            this.markups.merge(markup.effectiveFrom(), markup,
                    (one, other) -> one.revision() >= other.revision() ? one : other);
        }
        this.agreedFrom = first(agreed);
        this.planFrom = first(plan);
    }

    private static Instant first(List<PricePoint> prices) {
        return prices.stream().map(PricePoint::effectiveFrom).min(Instant::compareTo).orElse(null);
    }

    private static Map<TokenKind, NavigableMap<Instant, PricePoint>> byKind(List<PricePoint> prices) {
        Map<TokenKind, NavigableMap<Instant, PricePoint>> byKind = new EnumMap<>(TokenKind.class);
        for (PricePoint price : prices) {
            byKind.computeIfAbsent(price.kind(), kind -> new TreeMap<>()).merge(price.effectiveFrom(), price,
                    (one, other) -> one.perMillion().compareTo(other.perMillion()) >= 0 ? one : other);
        }
        return byKind;
    }

    /**
     * The prices valid at {@code at}, in {@code currency} only; empty when the model cannot be priced in it (no
     * input or no output price then, or a price in another currency).
     */
    Snapshot at(Instant at, String currency) {
        Map<TokenKind, NavigableMap<Instant, PricePoint>> byKind;
        BigDecimal factor = BigDecimal.ONE;
        if (agreedFrom != null && !agreedFrom.isAfter(at)) {
            byKind = agreed;
        } else if (planFrom != null && !planFrom.isAfter(at)) {
            byKind = plan;
        } else {
            Map.Entry<Instant, MarkupPoint> markup = markups.floorEntry(at);
            if (markup == null) {
                return Snapshot.UNPRICED;
            }
            byKind = costs;
            factor = markup.getValue().factor();
        }
        Map<TokenKind, BigDecimal> perMillion = new EnumMap<>(TokenKind.class);
        for (Map.Entry<TokenKind, NavigableMap<Instant, PricePoint>> kind : byKind.entrySet()) {
            Map.Entry<Instant, PricePoint> valid = kind.getValue().floorEntry(at);
            if (valid != null) {
                if (!valid.getValue().currency().equals(currency)) {
                    return Snapshot.UNPRICED;
                }
                perMillion.put(kind.getKey(), valid.getValue().perMillion().multiply(factor));
            }
        }
        if (!perMillion.containsKey(TokenKind.INPUT) || !perMillion.containsKey(TokenKind.OUTPUT)) {
            return Snapshot.UNPRICED;
        }
        return new Snapshot(perMillion);
    }

    /**
     * One {@code price} row.
     *
     * @param kind the token kind it prices
     * @param perMillion the price of 1,000,000 tokens
     * @param currency its currency code
     * @param effectiveFrom the first instant it applies
     */
    record PricePoint(TokenKind kind, BigDecimal perMillion, String currency, Instant effectiveFrom) {
    }

    /**
     * One {@code client_markup} row.
     *
     * @param percent the markup in percent over cost (20 charges cost x 1.20)
     * @param effectiveFrom the first instant it applies
     * @param revision order of entry: of two markups for one instant, the higher corrects the lower
     */
    record MarkupPoint(BigDecimal percent, Instant effectiveFrom, long revision) {

        BigDecimal factor() {
            return BigDecimal.ONE.add(percent.movePointLeft(2));
        }
    }

    /** The prices of one model at one instant: what the client is charged, markup included. */
    static final class Snapshot {

        /** A model that has no complete price: admitted without a budget reservation. */
        static final Snapshot UNPRICED = new Snapshot(Map.of());

        private final Map<TokenKind, BigDecimal> perMillion;

        private Snapshot(Map<TokenKind, BigDecimal> perMillion) {
            this.perMillion = perMillion;
        }

        boolean priced() {
            return !perMillion.isEmpty();
        }

        /**
         * The most a request can cost: every prompt token at the dearest prompt kind that has a price (a cache
         * write can cost more than plain input) and every possible output token at the output price.
         */
        BigDecimal worstCase(long promptTokens, long outputTokens) {
            BigDecimal prompt = perMillion.get(TokenKind.INPUT);
            for (TokenKind kind : List.of(TokenKind.CACHED_INPUT, TokenKind.CACHE_WRITE)) {
                BigDecimal price = perMillion.get(kind);
                if (price != null && price.compareTo(prompt) > 0) {
                    prompt = price;
                }
            }
            return prompt.multiply(BigDecimal.valueOf(promptTokens))
                    .add(perMillion.get(TokenKind.OUTPUT).multiply(BigDecimal.valueOf(outputTokens)))
                    .divide(MILLION);
        }

        /**
         * What metered {@code tokens} cost, as the rating will charge them; null when a kind that was used has no
         * price, which the rating marks unpriced and never charges.
         */
        BigDecimal charge(TokenCounts tokens) {
            BigDecimal total = BigDecimal.ZERO;
            for (TokenKind kind : TokenKind.values()) {
                long quantity = kind.quantityIn(tokens);
                if (quantity == 0) {
                    continue;
                }
                BigDecimal price = perMillion.get(kind);
                if (price == null) {
                    return null;
                }
                total = total.add(price.multiply(BigDecimal.valueOf(quantity)));
            }
            return total.divide(MILLION);
        }
    }
}

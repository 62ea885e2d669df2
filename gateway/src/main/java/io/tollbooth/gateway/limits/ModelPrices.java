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
 * valid when the request arrives. The client's own prices (table {@code client_price}) replace its plan's (table
 * {@code price}) for the model from the first instant one of them applies, as the rating does.
 *
 * <p>Rows of one kind from one instant are tiers of one price (long context, monthly bands) or corrections of each
 * other: admission cannot know which applies before the answer, so it takes the dearest, which can only reserve too
 * much, never too little.
 *
 * <p>TODO(#3): a client priced by a markup over the operator's cost (no plan price for the model) is admitted
 * without a budget reservation, as an unpriced model; its spend counter is corrected from the ledger each
 * {@code spend-ttl}.
 */
final class ModelPrices {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final Map<TokenKind, NavigableMap<Instant, PricePoint>> plan;
    private final Map<TokenKind, NavigableMap<Instant, PricePoint>> agreed;
    /** The first instant a price agreed with the client applies, or null when it has none for the model. */
    private final Instant agreedFrom;

    /** Plan prices only. */
    ModelPrices(List<PricePoint> prices) {
        this(prices, List.of());
    }

    /**
     * @param plan the plan's prices of the model
     * @param agreed the prices agreed with the client for the model, which replace the plan's once one applies
     */
    ModelPrices(List<PricePoint> plan, List<PricePoint> agreed) {
        this.plan = byKind(plan);
        this.agreed = byKind(agreed);
        this.agreedFrom = agreed.stream().map(PricePoint::effectiveFrom).min(Instant::compareTo).orElse(null);
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
        boolean byAgreement = agreedFrom != null && !agreedFrom.isAfter(at);
        Map<TokenKind, NavigableMap<Instant, PricePoint>> byKind = byAgreement ? agreed : plan;
        Map<TokenKind, BigDecimal> perMillion = new EnumMap<>(TokenKind.class);
        for (Map.Entry<TokenKind, NavigableMap<Instant, PricePoint>> kind : byKind.entrySet()) {
            Map.Entry<Instant, PricePoint> valid = kind.getValue().floorEntry(at);
            if (valid != null) {
                if (!valid.getValue().currency().equals(currency)) {
                    return Snapshot.UNPRICED;
                }
                perMillion.put(kind.getKey(), valid.getValue().perMillion());
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

    /** The prices of one model at one instant, the charge to the client (rated amounts carry no markup yet). */
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

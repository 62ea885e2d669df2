package io.tollbooth.metering.rating;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.TokenKind;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Prices one usage event with its client's plan: each token kind used is charged at the plan's price for the
 * requested model that was valid at the event's time.
 */
@ApplicationScoped
public class UsageRater {

    /**
     * Rates {@code event} for {@code client}.
     *
     * <p>A {@link UsageData.Status#REJECTED} event is never rated. When the operator has no model of the requested
     * name, or a token kind with a quantity above zero has no price at the event's time, or a price is in another
     * currency than the plan, the event is {@link RatingStatus#UNPRICED} as a whole: a partial amount would be
     * mistaken for the full one. Kinds with no tokens need no price.
     */
    public Rating rate(UsageEvent event, ClientPlan client, PriceBook prices) {
        if (event.data().status() == UsageData.Status.REJECTED) {
            return Rating.rejected();
        }
        String modelName = event.data().requestedModel();
        Optional<UUID> modelId = prices.model(client.operatorId(), modelName);
        if (modelId.isEmpty()) {
            return Rating.unpriced(null, "model '" + modelName + "' is not in the operator's catalogue");
        }
        return rateTokens(event.data().tokens(), event.time(), client, modelId.get(), prices);
    }

    private Rating rateTokens(TokenCounts tokens, Instant at, ClientPlan client, UUID modelId, PriceBook prices) {
        List<RatedLine> lines = new ArrayList<>(TokenKind.values().length);
        for (TokenKind kind : TokenKind.values()) {
            long quantity = kind.quantityIn(tokens);
            if (quantity == 0) {
                continue;
            }
            Optional<Price> price = prices.priceAt(client.planId(), modelId, kind, at);
            if (price.isEmpty()) {
                return Rating.unpriced(modelId, "no " + kind.code() + " price at " + at);
            }
            if (!price.get().currency().equals(client.currency())) {
                return Rating.unpriced(modelId, "the " + kind.code() + " price is in " + price.get().currency()
                        + ", the plan in " + client.currency());
            }
            lines.add(RatedLine.of(kind, quantity, price.get()));
        }
        return Rating.rated(modelId, lines);
    }
}

package io.tollbooth.metering.rating;

import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds the prices of one usage event: the client's charge and the operator's cost of each unit it used, valid at
 * the event's time.
 *
 * <p>The charge comes from the first of these that prices the model at that time: the client's own prices, its
 * plan, its markup over the operator's cost. A long-context tier prices the whole request when its prompt (input
 * + cached + cache write) is above the tier's threshold. Cost is looked up the same way in the operator's cost
 * prices, and is recorded next to the charge.
 */
@ApplicationScoped
public class UsageRater {

    /**
     * Rates {@code event} for {@code client}.
     *
     * <p>A {@link UsageData.Status#REJECTED} event is never rated. When the operator has no model of the requested
     * name, nothing charges the model at the event's time, a unit used has no price in the source that charges the
     * model, or a price is in another currency than the client's, the event is {@link RatingStatus#UNPRICED} as a
     * whole: a partial amount would be mistaken for the full one. Kinds with no tokens need no price; requests are
     * charged only where a per-request price exists.
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
        return new Request(event, client, modelId.get(), prices).rate();
    }

    /** The rating of one request, step by step. */
    private static final class Request {

        private final UsageData data;
        private final Instant at;
        private final ClientPlan client;
        private final UUID modelId;
        private final PriceBook prices;
        private final long promptTokens;
        private final PriceList costs;

        Request(UsageEvent event, ClientPlan client, UUID modelId, PriceBook prices) {
            this.data = event.data();
            this.at = event.time();
            this.client = client;
            this.modelId = modelId;
            this.prices = prices;
            this.promptTokens = data.tokens().promptTotal();
            this.costs = prices.costs(client.operatorId(), modelId);
        }

        Rating rate() {
            PriceList own = prices.clientPrices(client.clientId(), modelId);
            if (own.pricedAt(at)) {
                return rateWith(ChargeSource.CLIENT, own);
            }
            PriceList plan = prices.plan(prices.planAt(client, at), modelId);
            if (plan.pricedAt(at)) {
                return rateWith(ChargeSource.PLAN, plan);
            }
            Optional<Markup> markup = prices.markupAt(client.clientId(), at);
            if (markup.isPresent()) {
                return rateWithMarkup(markup.get());
            }
            return Rating.unpriced(modelId, "'" + data.requestedModel() + "' has no price at " + at
                    + ": no price of the client's own, none in its plan and no markup over cost");
        }

        private Rating rateWith(ChargeSource source, PriceList charges) {
            long chargeTier = charges.tierAt(promptTokens, at);
            long costTier = costs.tierAt(promptTokens, at);
            List<PricedUnit> units = new ArrayList<>(UsageUnit.values().length);
            for (UsageUnit unit : UsageUnit.values()) {
                long quantity = unit.quantityIn(data);
                if (quantity == 0) {
                    continue;
                }
                Optional<Schedule> charge = charges.schedule(unit, chargeTier, at);
                if (charge.isEmpty()) {
                    if (unit == UsageUnit.REQUEST) {
                        continue;
                    }
                    return Rating.unpriced(modelId, "no " + describe(unit, chargeTier) + " price for '"
                            + data.requestedModel() + "' in the " + name(source) + " at " + at);
                }
                String currency = charge.get().bands().get(0).currency();
                if (!currency.equals(client.currency())) {
                    return Rating.unpriced(modelId, "the " + unit.code() + " price is in " + currency
                            + ", the client is charged in " + client.currency());
                }
                units.add(new PricedUnit(unit, quantity, charge.get(), cost(unit, costTier).orElse(null)));
            }
            return Rating.rated(modelId, source, null, units);
        }

        private Rating rateWithMarkup(Markup markup) {
            long tier = costs.tierAt(promptTokens, at);
            List<PricedUnit> units = new ArrayList<>(UsageUnit.values().length);
            for (UsageUnit unit : UsageUnit.values()) {
                long quantity = unit.quantityIn(data);
                if (quantity == 0) {
                    continue;
                }
                Optional<Price> cost = cost(unit, tier);
                if (cost.isEmpty()) {
                    if (unit == UsageUnit.REQUEST) {
                        continue;
                    }
                    return Rating.unpriced(modelId, "no " + describe(unit, tier) + " cost for '"
                            + data.requestedModel() + "' at " + at + " to apply the client's markup to");
                }
                if (!cost.get().currency().equals(client.currency())) {
                    return Rating.unpriced(modelId, "the " + unit.code() + " cost is in " + cost.get().currency()
                            + ", the client is charged in " + client.currency() + " (no exchange rates)");
                }
                units.add(new PricedUnit(unit, quantity, null, cost.get()));
            }
            return Rating.rated(modelId, ChargeSource.MARKUP, markup, units);
        }

        /** The operator's cost of a unit; cost prices have no monthly bands, only the base band is read. */
        private Optional<Price> cost(UsageUnit unit, long tier) {
            return costs.schedule(unit, tier, at).map(schedule -> schedule.bands().get(0));
        }

        private static String describe(UsageUnit unit, long tier) {
            return tier == 0 ? unit.code() : unit.code() + " (prompt over " + tier + " tokens)";
        }

        private static String name(ChargeSource source) {
            return source == ChargeSource.CLIENT ? "client's own prices" : "client's plan";
        }
    }
}

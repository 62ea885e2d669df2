package io.tollbooth.metering.rating;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The clients, models and price histories that one batch of events needs, held in memory so that rating a batch
 * reads the database once and not once per event: the operators' costs, the plans' prices, the clients' own prices,
 * their markups and their moves to other plans.
 */
public final class PriceBook {

    private final Map<UUID, ClientPlan> clients;
    private final Map<ModelName, UUID> models;
    private final Map<OwnerModel, PriceList> costs;
    private final Map<OwnerModel, PriceList> plans;
    private final Map<OwnerModel, PriceList> clientPrices;
    private final Map<UUID, NavigableMap<Instant, Markup>> markups;
    private final Map<UUID, NavigableMap<Instant, PlanChange>> planChanges;
    private final Map<UUID, Price> byId;

    private PriceBook(Builder builder) {
        this.clients = Map.copyOf(builder.clients);
        this.models = Map.copyOf(builder.models);
        this.costs = Map.copyOf(builder.costs);
        this.plans = Map.copyOf(builder.plans);
        this.clientPrices = Map.copyOf(builder.clientPrices);
        this.markups = Map.copyOf(builder.markups);
        this.planChanges = Map.copyOf(builder.planChanges);
        this.byId = Map.copyOf(builder.byId);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The client's plan, or empty when the client does not exist. */
    public Optional<ClientPlan> client(UUID clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    /** The id of the operator's model with that exact name, or empty when the operator has none. */
    public Optional<UUID> model(UUID operatorId, String name) {
        return Optional.ofNullable(models.get(new ModelName(operatorId, name)));
    }

    /** The operator's cost prices of a model. */
    public PriceList costs(UUID operatorId, UUID modelId) {
        return costs.getOrDefault(new OwnerModel(operatorId, modelId), PriceList.EMPTY);
    }

    /** A plan's prices of a model. */
    public PriceList plan(UUID planId, UUID modelId) {
        return plans.getOrDefault(new OwnerModel(planId, modelId), PriceList.EMPTY);
    }

    /** A client's own prices of a model. */
    public PriceList clientPrices(UUID clientId, UUID modelId) {
        return clientPrices.getOrDefault(new OwnerModel(clientId, modelId), PriceList.EMPTY);
    }

    /** The client's markup at {@code at}, or empty when it had none then. */
    public Optional<Markup> markupAt(UUID clientId, Instant at) {
        NavigableMap<Instant, Markup> history = markups.get(clientId);
        return history == null ? Optional.empty() : Optional.ofNullable(history.floorEntry(at)).map(Map.Entry::getValue);
    }

    /**
     * The plan that bills {@code client} at {@code at}: that of its latest move to another plan effective by then,
     * else the plan it was created with.
     */
    public UUID planAt(ClientPlan client, Instant at) {
        NavigableMap<Instant, PlanChange> history = planChanges.get(client.clientId());
        Map.Entry<Instant, PlanChange> change = history == null ? null : history.floorEntry(at);
        return change == null ? client.planId() : change.getValue().planId();
    }

    /** Any price row of the book by its id. */
    public Optional<Price> price(UUID id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Collects the rows of a price book. */
    public static final class Builder {

        private final Map<UUID, ClientPlan> clients = new HashMap<>();
        private final Map<ModelName, UUID> models = new HashMap<>();
        private final Map<OwnerModel, PriceList> costs = new HashMap<>();
        private final Map<OwnerModel, PriceList> plans = new HashMap<>();
        private final Map<OwnerModel, PriceList> clientPrices = new HashMap<>();
        private final Map<UUID, NavigableMap<Instant, Markup>> markups = new HashMap<>();
        private final Map<UUID, NavigableMap<Instant, PlanChange>> planChanges = new HashMap<>();
        private final Map<UUID, Price> byId = new HashMap<>();

        private Builder() {
        }

        public Builder client(ClientPlan client) {
            clients.put(client.clientId(), client);
            return this;
        }

        public Builder model(UUID operatorId, String name, UUID modelId) {
            models.put(new ModelName(operatorId, name), modelId);
            return this;
        }

        /** Adds a cost price; its owner is the operator. */
        public Builder cost(Price price) {
            return add(costs, price);
        }

        /** Adds a plan price; its owner is the plan. */
        public Builder plan(Price price) {
            return add(plans, price);
        }

        /** Adds a client's own price; its owner is the client. */
        public Builder clientPrice(Price price) {
            return add(clientPrices, price);
        }

        public Builder markup(Markup markup) {
            markups.computeIfAbsent(markup.clientId(), id -> new TreeMap<>())
                    .merge(markup.effectiveFrom(), markup, (a, b) -> a.revision() >= b.revision() ? a : b);
            return this;
        }

        /** Adds a client's move to another plan; of two for one instant, the later entry wins. */
        public Builder planChange(PlanChange change) {
            planChanges.computeIfAbsent(change.clientId(), id -> new TreeMap<>())
                    .merge(change.effectiveFrom(), change, (a, b) -> a.revision() >= b.revision() ? a : b);
            return this;
        }

        private Builder add(Map<OwnerModel, PriceList> book, Price price) {
            book.computeIfAbsent(new OwnerModel(price.ownerId(), price.modelId()), key -> new PriceList()).add(price);
            byId.put(price.id(), price);
            return this;
        }

        public PriceBook build() {
            return new PriceBook(this);
        }
    }

    private record ModelName(UUID operatorId, String name) {
    }

    private record OwnerModel(UUID ownerId, UUID modelId) {
    }
}

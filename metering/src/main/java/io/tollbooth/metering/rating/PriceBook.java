package io.tollbooth.metering.rating;

import io.tollbooth.usage.event.TokenKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Map.Entry;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The clients, models and price histories that one batch of events needs, held in memory so that rating a batch
 * reads the database once and not once per event.
 */
public final class PriceBook {

    private final Map<UUID, ClientPlan> clients;
    private final Map<ModelName, UUID> models;
    private final Map<PriceKey, NavigableMap<Instant, Price>> prices;

    private PriceBook(Builder builder) {
        this.clients = Map.copyOf(builder.clients);
        this.models = Map.copyOf(builder.models);
        this.prices = Map.copyOf(builder.prices);
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

    /**
     * The price of {@code kind} for the model in the plan that applies at {@code at}: the one with the latest
     * {@code effectiveFrom} not after {@code at}. Empty when no price had started by then.
     */
    public Optional<Price> priceAt(UUID planId, UUID modelId, TokenKind kind, Instant at) {
        NavigableMap<Instant, Price> history = prices.get(new PriceKey(planId, modelId, kind));
        if (history == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(history.floorEntry(at)).map(Entry::getValue);
    }

    /** Collects the rows of a price book. */
    public static final class Builder {

        private final Map<UUID, ClientPlan> clients = new HashMap<>();
        private final Map<ModelName, UUID> models = new HashMap<>();
        private final Map<PriceKey, NavigableMap<Instant, Price>> prices = new HashMap<>();

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

        public Builder price(Price price) {
            prices.computeIfAbsent(new PriceKey(price.planId(), price.modelId(), price.kind()), key -> new TreeMap<>())
                    .put(price.effectiveFrom(), price);
            return this;
        }

        public PriceBook build() {
            return new PriceBook(this);
        }
    }

    private record ModelName(UUID operatorId, String name) {
    }

    private record PriceKey(UUID planId, UUID modelId, TokenKind kind) {
    }
}

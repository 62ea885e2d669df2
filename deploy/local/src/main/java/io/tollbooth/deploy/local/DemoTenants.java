package io.tollbooth.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeds a demo operator through the admin API: two models, three price plans in three currencies and three
 * clients, each with its own API keys.
 */
final class DemoTenants {

    /** One seeded client and the raw API keys it was given (shown once by the admin API, kept only in memory). */
    record Tenant(String id, String name, String currency, String timeZone, List<String> apiKeys) {
    }

    /** The seeded operator and its clients. */
    record Seeded(String operatorId, String operatorSlug, List<Tenant> tenants) {
    }

    /** Prices of one plan per 1M tokens: gpt-4o input, cached input and output, then local-llama input and output. */
    private record PlanPrices(String name, String currency, String gptInput, String gptCached, String gptOutput,
            String llamaInput, String llamaOutput) {
    }

    private record ClientSpec(String slug, String name, String timeZone, PlanPrices plan, int keys) {
    }

    static final String CLOUD_MODEL = "gpt-4o";
    static final String LOCAL_MODEL = "local-llama";

    private static final List<ClientSpec> CLIENTS = List.of(
            new ClientSpec("acme", "Acme Corp", "America/New_York",
                    new PlanPrices("Standard USD", "USD", "2.50", "1.25", "10.00", "0.20", "0.60"), 2),
            new ClientSpec("globex", "Globex GmbH", "Europe/Berlin",
                    new PlanPrices("Premium EUR", "EUR", "3.00", "1.50", "12.00", "0.30", "0.90"), 1),
            new ClientSpec("initech", "Initech KK", "Asia/Tokyo",
                    new PlanPrices("Volume JPY", "JPY", "400", "200", "1600", "30", "90"), 1));

    private DemoTenants() {
    }

    /** Creates the operator, models, plans, clients and keys; {@code pricesFrom} is when the prices take effect. */
    static Seeded seed(AdminApi admin, String operatorSlug, Instant pricesFrom) {
        ObjectNode operator = AdminApi.object()
                .put("slug", operatorSlug)
                .put("name", "Northwind Inference")
                .put("address", "1 Harbour Street, Bristol, United Kingdom")
                .put("taxId", "GB123456789")
                .put("currency", "USD");
        String operatorId = admin.post("/operators", operator).get("id").asText();
        for (String model : List.of(CLOUD_MODEL, LOCAL_MODEL)) {
            admin.post("/models", AdminApi.object().put("operatorId", operatorId).put("name", model));
        }

        List<Tenant> tenants = new ArrayList<>();
        for (ClientSpec spec : CLIENTS) {
            String planId = createPlan(admin, operatorId, spec.plan(), pricesFrom);
            ObjectNode client = AdminApi.object()
                    .put("operatorId", operatorId)
                    .put("slug", spec.slug())
                    .put("name", spec.name())
                    .put("currency", spec.plan().currency())
                    .put("timeZone", spec.timeZone())
                    .put("pricePlanId", planId);
            String clientId = admin.post("/clients", client).get("id").asText();
            List<String> keys = new ArrayList<>();
            for (int i = 1; i <= spec.keys(); i++) {
                JsonNode key = admin.post("/clients/" + clientId + "/api-keys",
                        AdminApi.object().put("name", spec.slug() + "-key-" + i));
                keys.add(key.get("key").asText());
            }
            tenants.add(new Tenant(clientId, spec.name(), spec.plan().currency(), spec.timeZone(), keys));
        }
        return new Seeded(operatorId, operatorSlug, tenants);
    }

    private static String createPlan(AdminApi admin, String operatorId, PlanPrices plan, Instant pricesFrom) {
        ObjectNode body = AdminApi.object()
                .put("operatorId", operatorId)
                .put("name", plan.name())
                .put("currency", plan.currency());
        var prices = body.putArray("prices");
        addPrice(prices.addObject(), CLOUD_MODEL, "input", plan.gptInput(), pricesFrom);
        addPrice(prices.addObject(), CLOUD_MODEL, "cached_input", plan.gptCached(), pricesFrom);
        addPrice(prices.addObject(), CLOUD_MODEL, "output", plan.gptOutput(), pricesFrom);
        addPrice(prices.addObject(), LOCAL_MODEL, "input", plan.llamaInput(), pricesFrom);
        addPrice(prices.addObject(), LOCAL_MODEL, "output", plan.llamaOutput(), pricesFrom);
        return admin.post("/price-plans", body).get("id").asText();
    }

    private static void addPrice(ObjectNode price, String model, String tokenKind, String perMillion, Instant from) {
        price.put("model", model)
                .put("tokenKind", tokenKind)
                .put("pricePerMillion", perMillion)
                .put("effectiveFrom", from.toString());
    }
}

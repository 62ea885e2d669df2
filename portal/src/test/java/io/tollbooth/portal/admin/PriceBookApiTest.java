package io.tollbooth.portal.admin;

import static io.tollbooth.portal.admin.Admin.admin;
import static io.tollbooth.portal.admin.Admin.as;
import static io.tollbooth.portal.admin.Admin.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.BillingWorld;
import io.tollbooth.portal.TestRealm;
import io.tollbooth.portal.UsageEvents;
import io.tollbooth.portal.access.Roles;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The operator's price book through the admin API, with exact values. The world of {@link BillingWorld} (plan
 * prices 2.50 input and 10.00 output per 1M, Acme 1,000,000 input tokens, Beta 200,000 input and 100,000 output
 * tokens in December 2026) gets cost prices of 1.00 input and 4.00 output per 1M, a self-hosted model "pb-local"
 * (a node at 2.50 per hour, 2,400 prompt and 700 generated tokens per second), and Acme a 25 % markup over cost.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class PriceBookApiTest {

    /** LiteLLM's price table excerpt among the shared fixtures beside the checkout. */
    static final Path LITELLM_TABLE = Path.of(System.getProperty("tollbooth.root", "."), "..", "shared", "fixtures",
            "litellm", "litellm_model_prices_excerpt.json");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void refusesACostPriceFarOutOfLineUntilConfirmedAndDerivesSelfHostedCostsAndMargins() {
        BillingWorld world = BillingWorld.create("pb-api", bootstrapServers);
        String costs = "/admin/v1/operators/" + world.operatorId() + "/cost-prices";
        create("/admin/v1/models", Map.of("operatorId", world.operatorId(), "name", "pb-local"));

        admin().body(Map.of("prices", List.of(cost("input", "1.00", "2026-01-01T00:00:00Z"),
                        cost("output", "4.00", "2026-01-01T00:00:00Z"))))
                .when().post(costs)
                .then().statusCode(201)
                .body("unitPrice", equalTo(List.of("1.00", "4.00")), "state", equalTo(List.of("in force", "in force")),
                        "source", equalTo(List.of("manual", "manual")), "currency", equalTo(List.of("USD", "USD")));

        // A per-1M price 150 times the previous one: held back, and nothing saved, until confirmed.
        admin().body(Map.of("prices", List.of(cost("input", "150", "2027-01-01T00:00:00Z"))))
                .when().post(costs)
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tollbooth:problem:unconfirmed-price-change"),
                        "code", equalTo("UNCONFIRMED_PRICE_CHANGE"), "check", equalTo("PriceChangeCheck"),
                        "factor", equalTo(100), "outOfLine[0].basis", equalTo("previous"),
                        "outOfLine[0].proposed", equalTo("150"), "outOfLine[0].compared", equalTo("1.00"),
                        "outOfLine[0].comparedFrom", equalTo("2026-01-01T00:00:00Z"),
                        "detail", startsWith("world-model input from 2027-01-01T00:00:00Z: 150 is 150 times the"
                                + " previous 1; was a per-token price typed into a per-1M field?"));
        admin().when().get(costs).then().statusCode(200).body("size()", equalTo(2));
        admin().body(Map.of("confirm", true, "prices", List.of(cost("input", "150", "2027-01-01T00:00:00Z"))))
                .when().post(costs)
                .then().statusCode(201).body("[0].unitPrice", equalTo("150"), "[0].state", equalTo("scheduled"));
        admin().when().get(costs).then().statusCode(200)
                .body("findAll { it.unit == 'input' }.until",
                        equalTo(java.util.Arrays.asList("2027-01-01T00:00:00Z", null)));

        // 2.50 × 1,000,000 / (2,400 × 3,600) and / (700 × 3,600), to 10 places.
        admin().body(Map.of("model", "pb-local", "node", "gpu-a100", "costPerHour", "2.50",
                        "inputTokensPerSecond", "2400", "outputTokensPerSecond", "700",
                        "effectiveFrom", "2026-01-01T00:00:00Z"))
                .when().post("/admin/v1/operators/" + world.operatorId() + "/self-hosted-costs")
                .then().statusCode(201)
                .body("inputPerMillion", equalTo("0.2893518519"), "outputPerMillion", equalTo("0.9920634921"),
                        "currency", equalTo("USD"), "node", equalTo("gpu-a100"));
        admin().when().get(costs).then()
                .body("findAll { it.model == 'pb-local' }.unitPrice", equalTo(List.of("0.2893518519", "0.9920634921")))
                .body("findAll { it.model == 'pb-local' }.source", equalTo(List.of("self_hosted", "self_hosted")));

        admin().body(Map.of("percent", "25", "effectiveFrom", "2026-01-01T00:00:00Z"))
                .when().post("/admin/v1/clients/" + world.acmeId() + "/pricing/markups")
                .then().statusCode(201).body("percent", equalTo("25"));
        publishLocal(world);
        admin().body(Map.of("from", "2026-12-01", "to", "2026-12-31", "reason", "cost prices entered"))
                .when().post("/admin/v1/clients/" + world.betaId() + "/rerate").then().statusCode(200);

        // Beta, re-rated: charged 0.50 + 1.00, costing 0.20 + 0.40.
        JsonPath beta = admin().when().get("/admin/v1/clients/" + world.betaId() + "/margins?period=2026-12")
                .then().statusCode(200).extract().jsonPath();
        assertThat(beta.getString("from")).isEqualTo("2026-12-01");
        assertThat(beta.getString("to")).isEqualTo("2026-12-31");
        assertThat(beta.getBoolean("comparable")).isTrue();
        assertThat(beta.getList("models.model")).containsExactly("world-model");
        assertDecimal(beta, "models[0].revenue", "1.50");
        assertDecimal(beta, "models[0].cost", "0.60");
        assertDecimal(beta, "models[0].uncostedRevenue", "0");
        assertDecimal(beta, "models[0].margin", "0.90");
        assertThat(beta.getString("models[0].marginRounded")).isEqualTo("0.90");
        assertThat(beta.getString("models[0].marginPercent")).isEqualTo("60.00");

        // Acme: world-model rated before any cost existed (revenue without cost); pb-local at cost × 1.25.
        JsonPath acme = admin().when().get("/admin/v1/clients/" + world.acmeId() + "/margins?period=2026-12")
                .then().statusCode(200).extract().jsonPath();
        assertThat(acme.getList("models.model")).containsExactly("pb-local", "world-model");
        assertThat(acme.getLong("models[0].events")).isEqualTo(1);
        assertDecimal(acme, "models[0].cost", "0.78538359795");
        assertDecimal(acme, "models[0].revenue", "0.9817294974375");
        assertDecimal(acme, "models[0].margin", "0.1963458994875");
        assertThat(acme.getString("models[0].marginRounded")).isEqualTo("0.20");
        assertThat(acme.getString("models[0].marginPercent")).isEqualTo("20.00");
        assertDecimal(acme, "models[1].revenue", "2.50");
        assertDecimal(acme, "models[1].uncostedRevenue", "2.50");
        assertThat(acme.getString("models[1].margin")).isNull();
        assertDecimal(acme, "total.revenue", "3.4817294974375");
        assertDecimal(acme, "total.cost", "0.78538359795");
        assertDecimal(acme, "total.uncostedRevenue", "2.50");
        assertDecimal(acme, "total.margin", "0.1963458994875");

        admin().when().get("/admin/v1/operators/" + world.operatorId() + "/margins?period=2026-12")
                .then().statusCode(200)
                .body("client", equalTo(List.of("Acme pb-api", "Beta pb-api")),
                        "total.marginRounded", equalTo(List.of("0.20", "0.90")),
                        "total.marginPercent", equalTo(List.of("20.00", "60.00")),
                        "total.uncostedRevenue", equalTo(List.of("2.5", "0")),
                        "total.margin", equalTo(List.of("0.1963458994875", "0.9")),
                        "costCurrency", equalTo(List.of("USD", "USD")));
        admin().when().get("/admin/v1/clients/" + world.acmeId() + "/margins?period=2026-11")
                .then().statusCode(200).body("models.size()", equalTo(0), "total.revenue", equalTo("0"));
        admin().when().get("/admin/v1/clients/" + world.acmeId() + "/margins?period=2026-12&from=2026-12-01")
                .then().statusCode(400);
    }

    @Test
    void importsLiteLlmPricesAndSaysWhatChanged() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(LITELLM_TABLE), "LiteLLM's price table excerpt is not at "
                + LITELLM_TABLE);
        String operatorId = create("/admin/v1/operators", Map.of("slug", "pb-import-op", "name", "PB Import",
                "currency", "USD"));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", "gpt-4o"));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", "pb-cloud"));
        String imports = "/admin/v1/operators/" + operatorId + "/cost-prices/litellm";
        byte[] table = Files.readAllBytes(LITELLM_TABLE);

        // Without a mapping: the catalogue's models that are entries of the table (gpt-4o, not pb-cloud).
        admin().body(table).queryParam("effectiveFrom", "2026-01-01T00:00:00Z")
                .when().post(imports)
                .then().statusCode(200)
                .body("created", equalTo(3), "changed", equalTo(0), "unchanged", equalTo(0),
                        "prices.model", equalTo(List.of("gpt-4o", "gpt-4o", "gpt-4o")),
                        "prices.unit", equalTo(List.of("cached_input", "input", "output")),
                        "prices.unitPrice", equalTo(List.of("1.25", "2.5", "10")),
                        "prices.currency", equalTo(List.of("USD", "USD", "USD")));

        admin().body(table).queryParam("effectiveFrom", "2027-01-01T00:00:00Z")
                .queryParam("model", "gpt-4o=gpt-4o-2024-05-13").queryParam("model", "pb-cloud=gpt-4o-mini")
                .when().post(imports)
                .then().statusCode(200)
                .body("created", equalTo(3), "changed", equalTo(2), "unchanged", equalTo(0),
                        "prices.model", equalTo(List.of("gpt-4o", "gpt-4o", "pb-cloud", "pb-cloud", "pb-cloud")),
                        "prices.entry", equalTo(List.of("gpt-4o-2024-05-13", "gpt-4o-2024-05-13", "gpt-4o-mini",
                                "gpt-4o-mini", "gpt-4o-mini")),
                        "prices.unitPrice", equalTo(List.of("5", "15", "0.075", "0.15", "0.6")),
                        "prices.previous", equalTo(java.util.Arrays.asList("2.5", "10", null, null, null)),
                        "prices.outcome", equalTo(List.of("changed", "changed", "new", "new", "new")));

        // A per-1M cost 1,000,000 times the imported one, which is the previous cost and the list price: named once.
        admin().body(Map.of("prices", List.of(Map.of("model", "pb-cloud", "unit", "input", "unitPrice",
                        "150000", "effectiveFrom", "2027-02-01T00:00:00Z"))))
                .when().post("/admin/v1/operators/" + operatorId + "/cost-prices")
                .then().statusCode(409)
                .body("outOfLine.basis", equalTo(List.of("previous")), "outOfLine[0].compared", equalTo("0.15"));
        admin().body("{\"not\": ").when().post(imports).then().statusCode(400);
        admin().body(table).queryParam("model", "gpt-4o").when().post(imports).then().statusCode(400)
                .body("detail", equalTo("model: write each as our-model=litellm-entry, not 'gpt-4o'"));
    }

    @Test
    void routesPlanPricesAndClientPricesThroughThePriceCheck() {
        String operatorId = create("/admin/v1/operators", Map.of("slug", "pb-plan-op", "name", "PB Plan",
                "currency", "USD"));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", "pb-model"));
        String planId = create("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", "Standard",
                "currency", "USD", "prices", List.of(planPrice("input", "2.50", "2026-01-01T00:00:00Z"))));
        String plan = "/admin/v1/price-plans/" + planId + "/prices";

        admin().body(Map.of("prices", List.of(planPrice("input", "300", "2027-01-01T00:00:00Z"))))
                .when().post(plan)
                .then().statusCode(409)
                .body("code", equalTo("UNCONFIRMED_PRICE_CHANGE"), "outOfLine[0].proposed", equalTo("300"),
                        "outOfLine[0].compared", equalTo("2.50"));
        admin().when().get("/admin/v1/price-plans/" + planId).then().body("prices.size()", equalTo(1));
        admin().body(Map.of("confirm", true, "prices", List.of(planPrice("input", "300", "2027-01-01T00:00:00Z"))))
                .when().post(plan)
                .then().statusCode(200).body("prices.pricePerMillion", equalTo(List.of("2.50", "300")));
        // A plan whose first prices are refused is not created either.
        admin().body(Map.of("operatorId", operatorId, "name", "Broken", "currency", "USD", "prices",
                        List.of(planPrice("input", "1", "2026-01-01T00:00:00Z"),
                                planPrice("input", "2", "2026-01-01T00:00:00Z"))))
                .when().post("/admin/v1/price-plans").then().statusCode(400);
        admin().body(Map.of("operatorId", operatorId, "name", "Broken", "currency", "USD", "prices",
                        List.of(planPrice("input", "1", "2026-01-01T00:00:00Z"))))
                .when().post("/admin/v1/price-plans").then().statusCode(201);

        String clientId = create("/admin/v1/clients", Map.of("operatorId", operatorId, "slug", "pb-client",
                "name", "PB Client", "currency", "USD", "timeZone", "UTC", "pricePlanId", planId));
        String prices = "/admin/v1/clients/" + clientId + "/pricing/prices";
        admin().body(Map.of("prices", List.of(planPrice("output", "8.00", "2026-01-01T00:00:00Z"))))
                .when().post(prices).then().statusCode(400);
        admin().body(Map.of("prices", List.of(clientPrice("8.00", "2026-01-01T00:00:00Z"))))
                .when().post(prices).then().statusCode(201).body("[0].unitPrice", equalTo("8.00"));
        admin().body(Map.of("prices", List.of(clientPrice("0.05", "2026-06-01T00:00:00Z"))))
                .when().post(prices).then().statusCode(409)
                .body("detail", startsWith("pb-model output from 2026-06-01T00:00:00Z: 0.05 is 1/160 of the"
                        + " previous 8 (in force from 2026-01-01T00:00:00Z)"));
        admin().body(Map.of("percent", "-120", "effectiveFrom", "2026-01-01T00:00:00Z"))
                .when().post("/admin/v1/clients/" + clientId + "/pricing/markups").then().statusCode(400);
        admin().body(Map.of("percent", "12.5", "effectiveFrom", "2026-01-01T00:00:00Z"))
                .when().post("/admin/v1/clients/" + clientId + "/pricing/markups").then().statusCode(201);
        admin().when().get("/admin/v1/clients/" + clientId + "/pricing")
                .then().statusCode(200)
                .body("plan.name", equalTo("Standard"), "plan.prices.unitPrice", equalTo(List.of("2.50", "300")),
                        "prices.unitPrice", equalTo(List.of("8.00")), "markups.percent", equalTo(List.of("12.5")),
                        "currency", equalTo("USD"));

        String finance = TestRealm.person(Roles.FINANCE, null);
        String clientAdmin = TestRealm.person(Roles.CLIENT_ADMIN, clientId);
        as(finance).when().get("/admin/v1/operators/" + operatorId + "/cost-prices").then().statusCode(200);
        as(finance).when().get("/admin/v1/clients/" + clientId + "/margins").then().statusCode(200);
        as(finance).body(Map.of("percent", "1", "effectiveFrom", "2026-01-01T00:00:00Z"))
                .when().post("/admin/v1/clients/" + clientId + "/pricing/markups").then().statusCode(403);
        as(clientAdmin).when().get("/admin/v1/clients/" + clientId + "/margins").then().statusCode(403);
        as(clientAdmin).when().get("/admin/v1/clients/" + clientId + "/pricing").then().statusCode(403);
        as(clientAdmin).when().get("/admin/v1/operators/" + operatorId + "/cost-prices").then().statusCode(403);
    }

    /** Acme's request to the self-hosted model: 1,000,000 input and 500,000 output tokens on 2026-12-20. */
    private void publishLocal(BillingWorld world) {
        JsonPath key = admin().body(Map.of("name", "local"))
                .when().post("/admin/v1/clients/" + world.acmeId() + "/api-keys")
                .then().statusCode(201).extract().jsonPath();
        UsageEvents.publish(bootstrapServers, new UsageEvents.Request(world.acmeId(), key.getString("id"),
                key.getString("prefix"), "req-pb-api-local", "pb-local", Instant.parse("2026-12-20T09:00:00Z"),
                1_000_000, 500_000));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> admin()
                .when().get("/admin/v1/clients/" + world.acmeId() + "/usage?period=2026-12")
                .then().statusCode(200).body("requests", equalTo(2)));
    }

    private static void assertDecimal(JsonPath json, String path, String expected) {
        assertThat(new BigDecimal(json.getString(path))).as(path).isEqualByComparingTo(expected);
    }

    private static Map<String, Object> cost(String unit, String price, String from) {
        return Map.of("model", BillingWorld.MODEL, "unit", unit, "unitPrice", price, "effectiveFrom", from);
    }

    private static Map<String, Object> planPrice(String kind, String price, String from) {
        return Map.of("model", "pb-model", "tokenKind", kind, "pricePerMillion", price, "effectiveFrom", from);
    }

    private static Map<String, Object> clientPrice(String price, String from) {
        return Map.of("model", "pb-model", "unit", "output", "unitPrice", price, "effectiveFrom", from);
    }
}

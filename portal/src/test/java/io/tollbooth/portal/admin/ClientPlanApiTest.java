package io.tollbooth.portal.admin;

import static io.tollbooth.portal.admin.Admin.admin;
import static io.tollbooth.portal.admin.Admin.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Moving a client to another price plan from an instant on, over the admin API (the control plane's clock stands at
 * 2026-12-15T10:00Z): usage before the instant keeps the old plan's prices, usage from it on gets the new plan's,
 * and a move into the past or to a plan in another currency is refused. Standard charges 10.00 per million tokens
 * of either kind and Premium 20.00, so 100,000 input and 50,000 output tokens cost 1.5 and 3 respectively.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class ClientPlanApiTest {

    private static final String MODEL = "plan-move-model";

    @Test
    void billsUsageFromTheMoveOnAtTheNewPlansPricesAndEarlierUsageAtTheOldOnes() {
        String slug = "move-" + UUID.randomUUID().toString().substring(0, 8);
        String operatorId = create("/admin/v1/operators", Map.of("slug", slug, "name", "Plan moves",
                "currency", "USD"));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", MODEL));
        String standard = plan(operatorId, "Standard", "USD", "10.00");
        String premium = plan(operatorId, "Premium", "USD", "20.00");
        String euro = plan(operatorId, "Euro", "EUR", "9.00");
        String clientId = create("/admin/v1/clients", Map.of("operatorId", operatorId, "slug", slug, "name", slug,
                "currency", "USD", "timeZone", "UTC", "pricePlanId", standard));
        String moves = "/admin/v1/clients/" + clientId + "/plan-changes";

        admin().body(Map.of("pricePlanId", premium, "effectiveFrom", "2026-12-20T00:00:00Z"))
                .when().post(moves).then().statusCode(201)
                .body("planName", equalTo("Premium"))
                .body("effectiveFrom", equalTo("2026-12-20T00:00:00Z"));
        admin().body(Map.of("pricePlanId", premium, "effectiveFrom", "2026-12-01T00:00:00Z"))
                .when().post(moves).then().statusCode(400)
                .body("type", equalTo("urn:tollbooth:problem:invalid-request"))
                .body("detail", equalTo("effectiveFrom 2026-12-01T00:00:00Z is before now (2026-12-15T10:00:00Z): "
                        + "a move to another plan applies to usage from now on; correct past usage by re-rating"));
        admin().body(Map.of("pricePlanId", euro, "effectiveFrom", "2027-01-01T00:00:00Z"))
                .when().post(moves).then().statusCode(409)
                .body("detail", equalTo("price plan Euro is in EUR and client " + slug + " is charged in USD"));
        admin().body(Map.of("pricePlanId", UUID.randomUUID(), "effectiveFrom", "2027-01-01T00:00:00Z"))
                .when().post(moves).then().statusCode(404);
        Admin.as(TestRealm.person("finance", null))
                .body(Map.of("pricePlanId", premium, "effectiveFrom", "2027-01-01T00:00:00Z"))
                .when().post(moves).then().statusCode(403);

        JsonPath history = Admin.as(TestRealm.person("finance", null)).when().get(moves)
                .then().statusCode(200).extract().jsonPath();
        assertThat(history.getString("initialPlan.name")).isEqualTo("Standard");
        assertThat(history.getList("changes.planName")).containsExactly("Premium");
        assertThat(history.getList("changes.effectiveFrom")).containsExactly("2026-12-20T00:00:00Z");

        JsonPath stored = admin().body(events(
                        event(clientId, "move-before", Instant.parse("2026-12-19T23:59:59Z")),
                        event(clientId, "move-after", Instant.parse("2026-12-20T00:00:00Z"))))
                .when().post("/admin/v1/clients/" + clientId + "/usage-events")
                .then().statusCode(200).extract().jsonPath();

        assertThat(stored.getList("events.outcome")).containsExactly("RATED", "RATED");
        // 1.5 at Standard before the move, 3 at Premium from it on.
        admin().when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-12")
                .then().statusCode(200).body("ratedAmount", equalTo("4.5"));
    }

    private static String plan(String operatorId, String name, String currency, String perMillion) {
        return create("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", name, "currency", currency,
                "prices", List.of(price("input", perMillion), price("output", perMillion))));
    }

    private static Map<String, String> price(String tokenKind, String perMillion) {
        return Map.of("model", MODEL, "tokenKind", tokenKind, "pricePerMillion", perMillion,
                "effectiveFrom", "2026-01-01T00:00:00Z");
    }

    private static UsageEvent event(String clientId, String requestId, Instant at) {
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, requestId, clientId, null, null, "chat.completions",
                MODEL, MODEL, "simulator", false, UsageData.Status.OK, UsageData.UsageSource.REPORTED,
                TokenCounts.of(100_000, 50_000), 500, 80L);
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, requestId, at, data);
    }

    private static String events(UsageEvent... events) {
        StringBuilder json = new StringBuilder("[");
        for (UsageEvent event : events) {
            json.append(json.length() > 1 ? "," : "").append(UsageEventCodec.toJson(event));
        }
        return json.append(']').toString();
    }
}

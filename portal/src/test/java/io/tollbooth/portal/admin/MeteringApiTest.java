package io.tollbooth.portal.admin;

import static io.restassured.RestAssured.given;
import static io.tollbooth.portal.admin.Admin.admin;
import static io.tollbooth.portal.admin.Admin.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import io.tollbooth.portal.UsageEvents;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metering over the admin API, with real Keycloak tokens: usage ingested in batches (a duplicate acknowledged, not
 * billed), LiteLLM's logging callback, the usage waiting for a price, re-rating a client's days and replaying dead
 * letters. Every price is 10.00 per million tokens, so 100,000 input and 50,000 output tokens cost exactly 1.5.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class MeteringApiTest {

    private static final String MODEL = "metering-api-model";
    private static final String UNKNOWN_MODEL = "metering-api-unknown";
    private static final Instant MAY = Instant.parse("2026-05-10T12:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private String operatorId;
    private String clientId;

    @BeforeEach
    void setUp() {
        String slug = "met-" + UUID.randomUUID().toString().substring(0, 8);
        operatorId = create("/admin/v1/operators", Map.of("slug", slug, "name", "Metering API", "currency",
                "USD"));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", MODEL));
        String planId = create("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", "Flat",
                "currency", "USD", "prices", List.of(price("input"), price("output"))));
        clientId = create("/admin/v1/clients", Map.of("operatorId", operatorId, "slug", slug, "name", slug,
                "currency", "USD", "timeZone", "UTC", "pricePlanId", planId));
    }

    @Test
    void storesABatchAndAcknowledgesAnEventSentAgainAsADuplicate() {
        String first = events(event("api-1", MODEL), event("api-2", UNKNOWN_MODEL));
        String again = events(event("api-1", MODEL), event("api-3", MODEL));

        JsonPath stored = ingest(first).then().statusCode(200).extract().jsonPath();
        JsonPath repeated = ingest(again).then().statusCode(200).extract().jsonPath();

        assertThat(stored.getInt("stored")).isEqualTo(2);
        assertThat(stored.getList("events.outcome")).containsExactly("RATED", "UNPRICED");
        assertThat(repeated.getInt("stored")).isEqualTo(1);
        assertThat(repeated.getInt("duplicates")).isEqualTo(1);
        assertThat(repeated.getList("events.duplicate")).containsExactly(true, false);
        assertThat(repeated.getList("events.outcome")).containsExactly("DUPLICATE", "RATED");
        admin().when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-05")
                .then().statusCode(200)
                .body("ratedAmount", equalTo("3"))
                .body("events.RATED", equalTo(2))
                .body("events.UNPRICED", equalTo(1));
    }

    @Test
    void refusesABatchOverAThousandOrWithAnotherClientsEventAndStoresNothing() {
        List<UsageEvent> tooMany = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            tooMany.add(event("api-many-" + i, MODEL));
        }
        UsageEvent stranger = UsageEvent.of(UsageEvent.GATEWAY_SOURCE, "api-stranger", MAY, data(
                UUID.randomUUID().toString(), "api-stranger", MODEL));

        ingest(events(tooMany.toArray(UsageEvent[]::new))).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tollbooth:problem:invalid-request"))
                .body("detail", equalTo("a batch holds 1 to 1000 events, not 1001"));
        ingest(events(event("api-mine", MODEL), stranger)).then().statusCode(400)
                .body("detail", equalTo("event api-stranger is not usage of the calling client"));
        ingest("{\"not\":\"an array\"}").then().statusCode(400)
                .body("detail", equalTo("the body must be a JSON array of 1 to 1000 usage events"));
        admin().when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-05")
                .then().statusCode(200).body("ratedAmount", equalTo("0"));
    }

    @Test
    void storesLiteLlmsLoggingCallbackOnceUnderItsCallId() {
        String body = "[{\"id\":\"litellm-call-1\",\"model\":\"" + MODEL + "\",\"startTime\":1778414400.25,"
                + "\"endTime\":1778414401.5,\"status\":\"success\",\"prompt_tokens\":100000,"
                + "\"completion_tokens\":50000,\"response_cost\":0.75}]";

        JsonPath first = litellm(body).then().statusCode(200).extract().jsonPath();
        JsonPath again = litellm(body).then().statusCode(200).extract().jsonPath();

        assertThat(first.getList("events.id")).containsExactly("litellm-call-1");
        assertThat(first.getList("events.outcome")).containsExactly("RATED");
        assertThat(again.getList("events.duplicate")).containsExactly(true);
        admin().when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-05")
                .then().statusCode(200).body("ratedAmount", equalTo("1.5"));
        litellm("not json at all {").then().statusCode(400)
                .body("type", equalTo("urn:tollbooth:problem:invalid-request"));
    }

    @Test
    void listsUnpricedUsageAndReratesAClientsDaysWithAnAudit() {
        ingest(events(event("api-r1", MODEL), event("api-r2", UNKNOWN_MODEL))).then().statusCode(200);

        admin().when().get("/admin/v1/operators/" + operatorId + "/unpriced-usage")
                .then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].clientId", equalTo(clientId))
                .body("[0].model", equalTo(UNKNOWN_MODEL))
                .body("[0].events", equalTo(1))
                .body("[0].first", equalTo("2026-05-10T12:00:00Z"));
        admin().body(Map.of("from", "2026-05-01", "to", "2026-05-31", "reason", "price list corrected"))
                .when().post("/admin/v1/clients/" + clientId + "/rerate")
                .then().statusCode(200)
                .body("periodStart", equalTo("2026-05-01T00:00:00Z"))
                .body("periodEnd", equalTo("2026-06-01T00:00:00Z"))
                .body("reason", equalTo("price list corrected"))
                .body("events", equalTo(2))
                .body("unpricedBefore", equalTo(1))
                .body("unpricedAfter", equalTo(1))
                .body("amountBefore", equalTo("1.50000000"))
                .body("amountAfter", equalTo("1.50000000"))
                .body("currency", equalTo("USD"));
        admin().body(Map.of("from", "2026-05-31", "to", "2026-05-01", "reason", "backwards"))
                .when().post("/admin/v1/clients/" + clientId + "/rerate")
                .then().statusCode(400).body("detail", equalTo("to: must not be before from"));
        admin().body(Map.of("from", "2026-05-01", "to", "2026-05-31"))
                .when().post("/admin/v1/clients/" + clientId + "/rerate")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        admin().when().get("/admin/v1/operators/" + UUID.randomUUID() + "/unpriced-usage")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void replaysADeadLetterBackToTheUsageTopic() {
        String stranger = UUID.randomUUID().toString();
        UsageEvents.publish(bootstrapServers, new UsageEvents.Request(stranger, null, null, "api-dead-" + stranger,
                MODEL, MAY, 10, 10));

        // The letter reaches the dead-letter topic once the consumer has read the event: replay until it is sent.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> admin()
                .when().post("/admin/v1/dead-letters/replay")
                .then().statusCode(200).extract().jsonPath().getLong("replayed") >= 1);
    }

    @Test
    void letsOnlyOperatorsIngestRerateOrReplay() {
        String clientAdmin = TestRealm.person("client-admin", clientId);
        String finance = TestRealm.person("finance", null);

        Admin.as(clientAdmin).body(events(event("api-self", MODEL)))
                .when().post("/admin/v1/clients/" + clientId + "/usage-events")
                .then().statusCode(403).contentType("application/problem+json");
        Admin.as(finance).body(Map.of("from", "2026-05-01", "to", "2026-05-31", "reason", "x"))
                .when().post("/admin/v1/clients/" + clientId + "/rerate")
                .then().statusCode(403);
        Admin.as(finance).when().post("/admin/v1/dead-letters/replay").then().statusCode(403);
        given().contentType(ContentType.JSON).body("[]")
                .when().post("/admin/v1/clients/" + clientId + "/usage-events/litellm")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer");
        admin().body(events(event("api-nobody", MODEL)))
                .when().post("/admin/v1/clients/" + UUID.randomUUID() + "/usage-events")
                .then().statusCode(404);
    }

    private io.restassured.response.Response ingest(String body) {
        return admin().body(body).when().post("/admin/v1/clients/" + clientId + "/usage-events");
    }

    private io.restassured.response.Response litellm(String body) {
        return admin().body(body).when().post("/admin/v1/clients/" + clientId + "/usage-events/litellm");
    }

    private UsageEvent event(String requestId, String model) {
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, requestId, MAY, data(clientId, requestId, model));
    }

    private static UsageData data(String clientId, String requestId, String model) {
        return new UsageData(UsageData.CURRENT_VERSION, requestId, clientId, null, null, "chat.completions", model,
                model, "simulator", false, UsageData.Status.OK, UsageData.UsageSource.REPORTED,
                TokenCounts.of(100_000, 50_000), 500, 80L);
    }

    private static String events(UsageEvent... events) {
        List<String> json = new ArrayList<>();
        for (UsageEvent event : events) {
            json.add(UsageEventCodec.toJson(event));
        }
        return "[" + String.join(",", json) + "]";
    }

    private static Map<String, String> price(String tokenKind) {
        return Map.of("model", MODEL, "tokenKind", tokenKind, "pricePerMillion", "10.00",
                "effectiveFrom", "2026-01-01T00:00:00Z");
    }
}

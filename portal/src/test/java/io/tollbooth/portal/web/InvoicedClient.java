package io.tollbooth.portal.web;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tollbooth.portal.TestRealm;
import io.tollbooth.portal.UsageEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A client of its own operator, set up through the admin API for the page tests: model {@value #MODEL} at 2.50 per
 * million input tokens and 10.00 per million output tokens, a key named {@code main}, 1,000,000 input tokens on
 * 2026-12-10 (so $2.50) metered from Kafka, and December closed early into invoice {@code <SLUG>-OP-2026-000001}.
 *
 * @param key the full key, as its creator saw it once
 */
record InvoicedClient(String operatorId, String clientId, String key, String keyId, String keyPrefix,
        String invoiceId) {

    static final String MODEL = "pages-model";

    /** Sets up a client named and slugged {@code slug}, in USD and UTC. */
    static InvoicedClient create(String slug, String bootstrapServers) {
        String operatorId = post("/admin/v1/operators", Map.of("slug", slug + "-op", "name", "Pages Op",
                "currency", "USD"));
        post("/admin/v1/models", Map.of("operatorId", operatorId, "name", MODEL));
        String planId = post("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", "Flat",
                "currency", "USD", "prices", List.of(
                        Map.of("model", MODEL, "tokenKind", "input", "pricePerMillion", "2.50",
                                "effectiveFrom", "2026-01-01T00:00:00Z"),
                        Map.of("model", MODEL, "tokenKind", "output", "pricePerMillion", "10.00",
                                "effectiveFrom", "2026-01-01T00:00:00Z"))));
        String clientId = post("/admin/v1/clients", Map.of("operatorId", operatorId, "slug", slug, "name", slug,
                "currency", "USD", "timeZone", "UTC", "pricePlanId", planId));
        JsonPath key = operator().body(Map.of("name", "main"))
                .when().post("/admin/v1/clients/" + clientId + "/api-keys")
                .then().statusCode(201).extract().jsonPath();

        UsageEvents.publish(bootstrapServers, new UsageEvents.Request(clientId, key.getString("id"),
                key.getString("prefix"), "req-" + slug, MODEL, Instant.parse("2026-12-10T12:00:00Z"), 1_000_000, 0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> operator()
                .when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-12")
                .then().statusCode(200).body("requests", equalTo(1)));
        String invoiceId = operator().body(Map.of("operatorId", operatorId, "period", "2026-12", "closeEarly", true))
                .when().post("/admin/v1/invoice-runs")
                .then().statusCode(200).extract().path("invoices[0].id");
        return new InvoicedClient(operatorId, clientId, key.getString("key"), key.getString("id"),
                key.getString("prefix"), invoiceId);
    }

    static String post(String path, Map<String, ?> body) {
        return operator().body(body).when().post(path).then().statusCode(201).extract().path("id");
    }

    static RequestSpecification operator() {
        return given().auth().oauth2(TestRealm.operatorToken()).contentType(ContentType.JSON);
    }

    /** Keeps the key out of anything that prints this record. */
    @Override
    public String toString() {
        return "InvoicedClient[clientId=" + clientId + ", keyPrefix=" + keyPrefix + "]";
    }
}

package io.tollbooth.portal;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An operator with two USD clients on one price plan (input 2.50, output 10.00 per million tokens), each with a
 * key and one metered request in December 2026, made through the admin API and the real Kafka topic:
 *
 * <ul>
 *   <li>{@code <slug>-acme}: 1,000,000 input tokens on 2026-12-10, rated 2.50 USD;</li>
 *   <li>{@code <slug>-beta}: 200,000 input and 100,000 output tokens on 2026-12-11, rated 0.50 + 1.00 = 1.50 USD.</li>
 * </ul>
 *
 * No month is closed yet. The operator's slug is {@code <slug>-op}, so its invoices are numbered
 * {@code <SLUG>-OP-2026-000001} on.
 */
public record BillingWorld(String operatorId, String planId, String acmeId, String betaId) {

    public static final String MODEL = "world-model";

    /** Makes the world for {@code slug} and waits until metering has rated both requests. */
    public static BillingWorld create(String slug, String bootstrapServers) {
        String operatorId = create("/admin/v1/operators", Map.of("slug", slug + "-op", "name", slug + " Operator",
                "currency", "USD"));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", MODEL));
        String planId = create("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", "Standard",
                "currency", "USD", "prices", List.of(
                        price("input", "2.50"), price("output", "10.00"))));
        String acme = client(operatorId, planId, slug + "-acme", "Acme " + slug);
        String beta = client(operatorId, planId, slug + "-beta", "Beta " + slug);
        publish(bootstrapServers, acme, "req-" + slug + "-acme", Instant.parse("2026-12-10T12:00:00Z"), 1_000_000, 0);
        publish(bootstrapServers, beta, "req-" + slug + "-beta", Instant.parse("2026-12-11T12:00:00Z"), 200_000,
                100_000);
        return new BillingWorld(operatorId, planId, acme, beta);
    }

    private static Map<String, Object> price(String kind, String perMillion) {
        return Map.of("model", MODEL, "tokenKind", kind, "pricePerMillion", perMillion,
                "effectiveFrom", "2026-01-01T00:00:00Z");
    }

    private static String client(String operatorId, String planId, String slug, String name) {
        return create("/admin/v1/clients", Map.of("operatorId", operatorId, "slug", slug, "name", name,
                "currency", "USD", "timeZone", "UTC", "pricePlanId", planId));
    }

    private static void publish(String bootstrapServers, String clientId, String requestId, Instant at, long input,
            long output) {
        JsonPath key = operator().body(Map.of("name", "main"))
                .when().post("/admin/v1/clients/" + clientId + "/api-keys")
                .then().statusCode(201).extract().jsonPath();
        UsageEvents.publish(bootstrapServers, new UsageEvents.Request(clientId, key.getString("id"),
                key.getString("prefix"), requestId, MODEL, at, input, output));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> operator()
                .when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-12")
                .then().statusCode(200).body("requests", equalTo(1)));
    }

    private static String create(String path, Map<String, ?> body) {
        return operator().body(body).when().post(path).then().statusCode(201).extract().path("id");
    }

    /** Requests as the admin automation's operator. */
    public static RequestSpecification operator() {
        return given().auth().oauth2(TestRealm.operatorToken()).contentType(ContentType.JSON);
    }
}

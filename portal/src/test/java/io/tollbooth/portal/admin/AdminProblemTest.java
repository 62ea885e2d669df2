package io.tollbooth.portal.admin;

import static io.tollbooth.portal.admin.Admin.admin;
import static io.tollbooth.portal.admin.Admin.create;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every admin API error is RFC 9457 problem JSON with an exact status, title and detail. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class AdminProblemTest {

    private static final String UNKNOWN = "0b5c1e52-7d41-4bb4-9f6a-1c2d3e4f5a6b";

    @Test
    void listsEveryInvalidFieldOfARequest() {
        admin().body(Map.of("slug", "Not A Slug", "name", "", "currency", "XYZ"))
                .when().post("/admin/v1/operators")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tollbooth:problem:invalid-request"))
                .body("title", equalTo("Invalid request"))
                .body("status", equalTo(400))
                .body("detail", equalTo("currency: must be an ISO 4217 currency code such as USD; "
                        + "name: must not be blank; slug: must be lower-case letters, digits and inner hyphens"))
                .body("instance", equalTo("/admin/v1/operators"))
                .body("errors", equalTo(List.of(
                        Map.of("field", "currency", "message", "must be an ISO 4217 currency code such as USD"),
                        Map.of("field", "name", "message", "must not be blank"),
                        Map.of("field", "slug", "message", "must be lower-case letters, digits and inner hyphens"))));
    }

    @Test
    void namesTheInvalidFieldInsideAList() {
        String operatorId = create("/admin/v1/operators", Map.of("slug", "problem-prices", "name", "Problem Prices",
                "currency", "USD"));

        admin().body(Map.of("operatorId", operatorId, "name", "broken", "currency", "USD", "prices", List.of(
                        Map.of("model", "m", "tokenKind", "prompt", "pricePerMillion", "1.5e3",
                                "effectiveFrom", "2026-01-01T00:00:00Z"))))
                .when().post("/admin/v1/price-plans")
                .then().statusCode(400)
                .body("detail", equalTo("prices[0].pricePerMillion: must be a non-negative decimal string such as "
                        + "\"2.50\"; prices[0].tokenKind: must be one of input|cached_input|cache_write|output"));
    }

    @Test
    void refusesBodyThatIsNotJson() {
        admin().body("{\"slug\": ")
                .when().post("/admin/v1/operators")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid request"))
                .body("detail", equalTo("the request body is not valid JSON"));
    }

    @Test
    void refusesAValueOfTheWrongType() {
        admin().body(Map.of("operatorId", "not-a-uuid", "name", "m"))
                .when().post("/admin/v1/models")
                .then().statusCode(400)
                .body("detail", equalTo("field operatorId has a value of the wrong type"));
    }

    @Test
    void refusesADuplicateOperatorSlug() {
        Map<String, String> operator = Map.of("slug", "twice", "name", "Twice Ltd", "currency", "EUR");
        create("/admin/v1/operators", operator);

        admin().body(operator)
                .when().post("/admin/v1/operators")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tollbooth:problem:conflict"))
                .body("title", equalTo("Conflict"))
                .body("status", equalTo(409))
                .body("detail", equalTo("an operator with slug 'twice' already exists"))
                .body("errors", nullValue());
    }

    @Test
    void answersNotFoundForAnUnknownClient() {
        admin().when().get("/admin/v1/clients/" + UNKNOWN + "/usage?period=2026-12")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tollbooth:problem:not-found"))
                .body("title", equalTo("Not found"))
                .body("detail", equalTo("client " + UNKNOWN + " does not exist"));
    }

    @Test
    void refusesAPeriodThatIsNotAMonth() {
        admin().when().get("/admin/v1/clients/" + UNKNOWN + "/usage?period=2026-13")
                .then().statusCode(400)
                .body("detail", equalTo("period: must be a month such as 2026-12"));
    }

    @Test
    void refusesAClientInAnotherCurrencyThanItsPlan() {
        String operatorId = create("/admin/v1/operators", Map.of("slug", "two-currencies", "name", "Two",
                "currency", "USD"));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", "m1"));
        String planId = create("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", "usd",
                "currency", "USD", "prices", List.of(Map.of("model", "m1", "tokenKind", "input",
                        "pricePerMillion", "1.00", "effectiveFrom", "2026-01-01T00:00:00Z"))));

        admin().body(Map.of("operatorId", operatorId, "slug", "euro-client", "name", "Euro", "currency", "EUR",
                        "timeZone", "Europe/Paris", "pricePlanId", planId))
                .when().post("/admin/v1/clients")
                .then().statusCode(400)
                .body("detail", equalTo("currency: must equal the price plan's currency USD"));
    }

    @Test
    void answersNotFoundForAnInvoiceRunOfAnUnknownOperator() {
        admin().body(Map.of("operatorId", UNKNOWN, "period", "2026-12", "closeEarly", true))
                .when().post("/admin/v1/invoice-runs")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("title", equalTo("Not found"))
                .body("detail", equalTo("no operator " + UNKNOWN))
                .body("code", equalTo("OPERATOR_NOT_FOUND"));
    }

    @Test
    void answersNotFoundForAnUnknownInvoice() {
        admin().when().get("/admin/v1/invoices/" + UNKNOWN + "/pdf")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("invoice " + UNKNOWN + " does not exist"));
    }

    @Test
    void answersNotFoundBeforeStreamingTheExportOfAnUnknownOperator() {
        admin().when().get("/admin/v1/exports/usage.csv?operatorId=" + UNKNOWN + "&period=2026-12")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("operator " + UNKNOWN + " does not exist"));
    }

    @Test
    void refusesAnExportWithoutOperator() {
        admin().when().get("/admin/v1/exports/usage.csv?period=2026-12")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("operatorId: must not be null"));
    }

    @Test
    void refusesAnOperatorIdThatIsNotAUuid() {
        admin().when().get("/admin/v1/exports/usage.csv?operatorId=acme&period=2026-12")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("operatorId: must be a UUID"));
    }
}

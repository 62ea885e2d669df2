package io.tollbooth.portal.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin API answers only callers with a valid Keycloak token whose roles allow the route; health checks need
 * none; every response carries the security headers.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class AdminAuthTest {

    private static final String SOME_OPERATOR = "/admin/v1/operators/8c0e6b9e-2f4e-4f0e-9a4c-000000000001";

    @Test
    void refusesACallerWithoutToken() {
        given().contentType(ContentType.JSON).body(Map.of("slug", "nobody"))
                .when().post("/admin/v1/operators")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:tollbooth:problem:unauthorized"))
                .body("title", equalTo("Unauthorized"))
                .body("status", equalTo(401))
                .body("detail", equalTo("send a Keycloak access token as 'Authorization: Bearer <token>'"))
                .body("instance", equalTo("/admin/v1/operators"));
    }

    @Test
    void refusesATokenKeycloakDidNotSign() {
        String operator = TestRealm.operatorToken();
        String forged = operator.substring(0, operator.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
        given().auth().oauth2(forged)
                .when().get(SOME_OPERATOR)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("title", equalTo("Unauthorized"))
                .body("detail", equalTo("the bearer token is not valid or has expired"))
                .body("instance", equalTo(SOME_OPERATOR));
    }

    @Test
    void refusesAnotherAuthenticationScheme() {
        given().auth().preemptive().basic("admin", "admin")
                .when().get(SOME_OPERATOR)
                .then().statusCode(401)
                .body("detail", equalTo("send a Keycloak access token as 'Authorization: Bearer <token>'"));
    }

    @Test
    void refusesARoleTheRouteDoesNotAllow() {
        String finance = TestRealm.person("finance", null);
        Admin.as(finance).body(Map.of("slug", "finance-made", "name", "Finance Made", "currency", "USD"))
                .when().post("/admin/v1/operators")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tollbooth:problem:forbidden"))
                .body("title", equalTo("Forbidden"))
                .body("detail", equalTo("your roles do not allow this request"));
    }

    @Test
    void refusesATokenWithoutAnyTollboothRole() {
        String nobody = TestRealm.person("offline_access", null);
        Admin.as(nobody).when().get(SOME_OPERATOR).then().statusCode(403);
    }

    @Test
    void reportsHealthWithoutToken() {
        given().when().get("/q/health")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void sendsSecurityHeadersOnEveryResponse() {
        given().when().get(SOME_OPERATOR)
                .then().statusCode(401)
                .header("Content-Security-Policy", equalTo("default-src 'self'; script-src 'self'; "
                        + "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                        + "form-action 'self'; frame-ancestors 'none'"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("Referrer-Policy", equalTo("no-referrer"));
    }
}

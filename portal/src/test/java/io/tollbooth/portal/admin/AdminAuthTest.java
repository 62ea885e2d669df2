package io.tollbooth.portal.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin API answers only callers with the admin token; health checks need none. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class AdminAuthTest {

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
                .body("detail", equalTo("send the admin token as 'Authorization: Bearer <token>'"))
                .body("instance", equalTo("/admin/v1/operators"));
    }

    @Test
    void refusesAWrongToken() {
        given().auth().oauth2("test-admin-token-but-wrong")
                .when().get("/admin/v1/operators/8c0e6b9e-2f4e-4f0e-9a4c-000000000001")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("title", equalTo("Unauthorized"))
                .body("detail", equalTo("the admin token is not valid"))
                .body("instance", equalTo("/admin/v1/operators/8c0e6b9e-2f4e-4f0e-9a4c-000000000001"));
    }

    @Test
    void refusesAnotherAuthenticationScheme() {
        given().auth().preemptive().basic("admin", Admin.TOKEN)
                .when().get("/admin/v1/operators/8c0e6b9e-2f4e-4f0e-9a4c-000000000001")
                .then().statusCode(401)
                .body("detail", equalTo("send the admin token as 'Authorization: Bearer <token>'"));
    }

    @Test
    void reportsHealthWithoutToken() {
        given().when().get("/q/health")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }
}

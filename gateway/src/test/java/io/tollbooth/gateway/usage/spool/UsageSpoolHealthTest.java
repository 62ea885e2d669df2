package io.tollbooth.gateway.usage.spool;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The spool's depth and bound, where an operator looks first. */
@QuarkusTest
class UsageSpoolHealthTest {

    @Test
    void showsTheSpoolDepthAndBoundOnTheReadinessEndpoint() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.name", hasItem("usage-spool"))
                .body("checks.find { it.name == 'usage-spool' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'usage-spool' }.data.max_depth", equalTo(100000))
                .body("checks.find { it.name == 'usage-spool' }.data.over_bound", equalTo(false));
    }
}

package io.tollbooth.portal.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin API's OpenAPI document lists every admin route, with bearer-token security, and no page. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class OpenApiDocumentTest {

    @Test
    void listsEveryAdminPathAndNoPage() {
        JsonPath document = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();

        Map<String, Object> paths = document.getMap("paths");
        assertThat(paths.keySet().stream().filter(path -> path.startsWith("/admin/v1/"))).containsExactlyInAnyOrder(
                "/admin/v1/api-keys/{id}/revoke",
                "/admin/v1/backends",
                "/admin/v1/backends/{id}",
                "/admin/v1/backends/{id}/drain",
                "/admin/v1/backends/{id}/undrain",
                "/admin/v1/clients",
                "/admin/v1/clients/{clientId}/api-keys",
                "/admin/v1/clients/{clientId}/billing-account",
                "/admin/v1/clients/{clientId}/budget",
                "/admin/v1/clients/{clientId}/daily-activity",
                "/admin/v1/clients/{clientId}/invoices",
                "/admin/v1/clients/{clientId}/margins",
                "/admin/v1/clients/{clientId}/people",
                "/admin/v1/clients/{clientId}/people/{personId}",
                "/admin/v1/clients/{clientId}/plan-changes",
                "/admin/v1/clients/{clientId}/pricing",
                "/admin/v1/clients/{clientId}/pricing/markups",
                "/admin/v1/clients/{clientId}/pricing/prices",
                "/admin/v1/clients/{clientId}/rerate",
                "/admin/v1/clients/{clientId}/usage",
                "/admin/v1/clients/{clientId}/usage-events",
                "/admin/v1/clients/{clientId}/usage-events/litellm",
                "/admin/v1/clients/{id}",
                "/admin/v1/dead-letters/replay",
                "/admin/v1/exports/invoice-lines.csv",
                "/admin/v1/exports/invoices.csv",
                "/admin/v1/exports/reconciliation.csv",
                "/admin/v1/exports/usage-summary.csv",
                "/admin/v1/exports/usage.csv",
                "/admin/v1/invoice-runs",
                "/admin/v1/invoices",
                "/admin/v1/invoices/{id}",
                "/admin/v1/invoices/{id}/credit-notes",
                "/admin/v1/invoices/{id}/finalize",
                "/admin/v1/invoices/{id}/pdf",
                "/admin/v1/invoices/{id}/regenerate",
                "/admin/v1/invoices/{id}/stripe-push",
                "/admin/v1/invoices/{id}/void",
                "/admin/v1/models",
                "/admin/v1/models/{id}",
                "/admin/v1/operators",
                "/admin/v1/operators/{id}",
                "/admin/v1/operators/{operatorId}/audit",
                "/admin/v1/operators/{operatorId}/model-routes",
                "/admin/v1/operators/{operatorId}/model-routes/{model}",
                "/admin/v1/operators/{operatorId}/system-state",
                "/admin/v1/operators/{operatorId}/cost-prices",
                "/admin/v1/operators/{operatorId}/cost-prices/litellm",
                "/admin/v1/operators/{operatorId}/margins",
                "/admin/v1/operators/{operatorId}/self-hosted-costs",
                "/admin/v1/operators/{operatorId}/unpriced-usage",
                "/admin/v1/price-plans",
                "/admin/v1/price-plans/{id}",
                "/admin/v1/price-plans/{id}/prices",
                "/admin/v1/reconciliation");
        assertThat(paths.keySet()).noneMatch(path -> path.startsWith("/portal"));
        assertThat(document.getString("info.title")).isEqualTo("Tollbooth admin API");
        assertThat(document.getString("components.securitySchemes.keycloak.scheme")).isEqualTo("bearer");
        assertThat(document.getList("paths.'/admin/v1/invoices/{id}/void'.post.security.keycloak")).isNotNull();
    }
}

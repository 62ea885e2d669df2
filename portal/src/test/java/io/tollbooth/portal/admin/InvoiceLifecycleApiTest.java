package io.tollbooth.portal.admin;

import static io.tollbooth.portal.BillingWorld.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.BillingWorld;
import io.tollbooth.portal.TestRealm;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * An operator's automation reviews and corrects a month's invoices through the admin API: drafts listed and read,
 * finalized in order, credited in part and then in full, voided where that is allowed, and refused where it is
 * not. Acme owes 2.50 USD and Beta 1.50 USD for December 2026 (see {@link BillingWorld}); no tax applies.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class InvoiceLifecycleApiTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void reviewsFinalizesCreditsAndVoidsAMonthsInvoices() {
        BillingWorld world = BillingWorld.create("lifecycle-api", bootstrapServers);
        String list = "/admin/v1/invoices?operatorId=" + world.operatorId() + "&period=2026-12";

        JsonPath run = operator().body(Map.of("operatorId", world.operatorId(), "period", "2026-12",
                        "closeEarly", true, "draftsOnly", true))
                .when().post("/admin/v1/invoice-runs").then().statusCode(200).extract().jsonPath();
        assertThat(run.getList("invoices.status")).containsExactly("DRAFT", "DRAFT");

        JsonPath drafts = operator().when().get(list + "&status=draft").then().statusCode(200).extract().jsonPath();
        assertThat(drafts.getList("billTo.slug")).containsExactlyInAnyOrder("lifecycle-api-acme",
                "lifecycle-api-beta");
        assertThat(drafts.getList("number")).containsExactly(null, null);
        String acme = invoiceOf(drafts, "lifecycle-api-acme");
        String beta = invoiceOf(drafts, "lifecycle-api-beta");
        JsonPath betaDraft = operator().when().get("/admin/v1/invoices/" + beta).then().statusCode(200)
                .extract().jsonPath();
        assertThat(betaDraft.getList("lines.unit")).containsExactly("input", "output");
        assertThat(betaDraft.getList("lines.quantity", Long.class)).containsExactly(200_000L, 100_000L);
        assertThat(betaDraft.getList("lines.amount")).containsExactly("0.50", "1.00");
        assertThat(betaDraft.getString("amountDue")).isEqualTo("1.50");

        operator().when().post("/admin/v1/invoices/" + acme + "/finalize").then().statusCode(200)
                .body("number", equalTo("LIFECYCLE-API-OP-2026-000001"), "status", equalTo("FINALIZED"),
                        "issueDate", equalTo("2026-12-15"), "dueDate", equalTo("2027-01-14"),
                        "total", equalTo("2.50"), "amountDue", equalTo("2.50"));
        operator().when().post("/admin/v1/invoices/" + beta + "/finalize").then().statusCode(200)
                .body("number", equalTo("LIFECYCLE-API-OP-2026-000002"));
        assertThat(operator().when().get(list + "&status=draft").then().statusCode(200).extract()
                .jsonPath().getList("id")).isEmpty();

        operator().body(Map.of("reason", "Outage on Dec 10",
                        "lines", List.of(Map.of("description", "Service credit", "amount", "1.00"))))
                .when().post("/admin/v1/invoices/" + acme + "/credit-notes").then().statusCode(201)
                .body("number", equalTo("CN-LIFECYCLE-API-OP-2026-000001"), "subtotal", equalTo("1.00"),
                        "taxTotal", equalTo("0.00"), "total", equalTo("1.00"),
                        "lines[0].description", equalTo("Service credit"));
        operator().body(Map.of("reason", "Contract ended"))
                .when().post("/admin/v1/invoices/" + acme + "/credit-notes").then().statusCode(201)
                .body("number", equalTo("CN-LIFECYCLE-API-OP-2026-000002"), "total", equalTo("1.50"),
                        "lines[0].description", equalTo("Rest of invoice LIFECYCLE-API-OP-2026-000001"));
        operator().body(Map.of("reason", "Once more")).when().post("/admin/v1/invoices/" + acme + "/credit-notes")
                .then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:tollbooth:problem:billing-refused"),
                        "code", equalTo("CREDIT_EXCEEDS_INVOICE"));
        operator().body(Map.of("reason", "Wrong client")).when().post("/admin/v1/invoices/" + acme + "/void")
                .then().statusCode(409).body("code", equalTo("INVALID_TRANSITION"));
        operator().when().get("/admin/v1/invoices/" + acme).then().statusCode(200)
                .body("creditNotes.number", equalTo(List.of("CN-LIFECYCLE-API-OP-2026-000001",
                        "CN-LIFECYCLE-API-OP-2026-000002")), "creditNotes.total", equalTo(List.of("1.00", "1.50")));

        operator().body(Map.of("reason", "Billed to the wrong entity"))
                .when().post("/admin/v1/invoices/" + beta + "/void").then().statusCode(200)
                .body("status", equalTo("VOID"), "number", equalTo("LIFECYCLE-API-OP-2026-000002"),
                        "voidReason", equalTo("Billed to the wrong entity"));
        operator().body(Map.of("reason", "After void")).when().post("/admin/v1/invoices/" + beta + "/credit-notes")
                .then().statusCode(409).body("code", equalTo("INVALID_TRANSITION"));
        assertThat(operator().when().get(list + "&status=void").then().statusCode(200).extract()
                .jsonPath().getList("id")).containsExactly(beta);
    }

    @Test
    void refusesWhatTheRulesDoNotAllow() {
        BillingWorld world = BillingWorld.create("lifecycle-refusals", bootstrapServers);
        JsonPath run = operator().body(Map.of("operatorId", world.operatorId(), "period", "2026-12",
                        "closeEarly", true, "draftsOnly", true))
                .when().post("/admin/v1/invoice-runs").then().statusCode(200).extract().jsonPath();
        String draft = run.getString("invoices.find { it.clientId == '" + world.acmeId() + "' }.id");

        operator().body(Map.of("reason", "x")).when().post("/admin/v1/invoices/" + draft + "/void")
                .then().statusCode(409).body("code", equalTo("INVALID_TRANSITION"));
        operator().body(Map.of("reason", "")).when().post("/admin/v1/invoices/" + draft + "/void")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        operator().body(Map.of("reason", "r", "lines", List.of(Map.of("description", "d", "amount", "-1"))))
                .when().post("/admin/v1/invoices/" + draft + "/credit-notes")
                .then().statusCode(400).body("errors[0].field", equalTo("lines[0].amount"));
        operator().when().post("/admin/v1/invoices/" + draft + "/stripe-push")
                .then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:tollbooth:problem:payments-off"));
        operator().when().post("/admin/v1/invoices/00000000-0000-0000-0000-000000000000/finalize")
                .then().statusCode(404);
        operator().when().get("/admin/v1/invoices?operatorId=" + world.operatorId() + "&period=2026-13")
                .then().statusCode(400).body("errors[0].field", equalTo("period"));

        String finance = TestRealm.person("finance", null);
        Admin.as(finance).when().get("/admin/v1/invoices?operatorId=" + world.operatorId() + "&period=2026-12")
                .then().statusCode(200).body("size()", equalTo(2));
        Admin.as(finance).when().post("/admin/v1/invoices/" + draft + "/finalize").then().statusCode(403);
        operator().when().post("/admin/v1/invoices/" + draft + "/regenerate").then().statusCode(200)
                .body("status", equalTo("DRAFT"), "total", equalTo("2.50"));
    }

    private static String invoiceOf(JsonPath invoices, String slug) {
        return invoices.getString("find { it.billTo.slug == '" + slug + "' }.id");
    }
}

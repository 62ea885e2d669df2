package io.tollbooth.portal.web;

import static io.tollbooth.portal.BillingWorld.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.BillingWorld;
import io.tollbooth.portal.TestRealm;
import io.tollbooth.portal.UsageEvents;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

/**
 * The operator's audit log and unpriced usage, through the admin API and the pages. Beta also sent 5,000 input
 * tokens to a model nobody priced ("unpriced-model"), so the month-end close refuses Beta's December and invoices
 * only Acme (2.50 USD), which is then finalized and voided.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class OperatorRecordsTest {

    @TestHTTPResource("/portal/operator/invoices")
    URL invoices;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void listsUsageWaitingForAPriceAndEveryInvoiceChange() throws Exception {
        BillingWorld world = BillingWorld.create("op-records", bootstrapServers);
        JsonPath key = operator().body(Map.of("name", "second"))
                .when().post("/admin/v1/clients/" + world.betaId() + "/api-keys")
                .then().statusCode(201).extract().jsonPath();
        UsageEvents.publish(bootstrapServers, new UsageEvents.Request(world.betaId(), key.getString("id"),
                key.getString("prefix"), "req-op-records-unpriced", "unpriced-model",
                Instant.parse("2026-12-12T08:00:00Z"), 5_000, 0));
        String unpriced = "/admin/v1/operators/" + world.operatorId() + "/unpriced-usage";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> operator().when().get(unpriced)
                .then().statusCode(200).body("events", equalTo(List.of(1))));
        operator().when().get(unpriced).then()
                .body("client", equalTo(List.of("op-records-beta")), "model", equalTo(List.of("unpriced-model")),
                        "first", equalTo(List.of("2026-12-12T08:00:00Z")));

        JsonPath run = operator().body(Map.of("operatorId", world.operatorId(), "period", "2026-12",
                        "closeEarly", true))
                .when().post("/admin/v1/invoice-runs").then().statusCode(409)
                .body("refusals.code", equalTo(List.of("UNPRICED_USAGE"))).extract().jsonPath();
        String acme = run.getString("invoices[0].id");
        operator().body(Map.of("reason", "Test void")).when().post("/admin/v1/invoices/" + acme + "/void")
                .then().statusCode(200);
        operator().when().get("/admin/v1/operators/" + world.operatorId() + "/audit?period=2026-12")
                .then().statusCode(200)
                .body("to", equalTo(List.of("VOID", "FINALIZED", "DRAFT")),
                        "from", equalTo(java.util.Arrays.asList("FINALIZED", "DRAFT", null)),
                        "number", equalTo(List.of("OP-RECORDS-OP-2026-000001", "OP-RECORDS-OP-2026-000001",
                                "OP-RECORDS-OP-2026-000001")),
                        "client", equalTo(List.of("Acme op-records", "Acme op-records", "Acme op-records")),
                        "reason[0]", equalTo("Test void"));

        try (WebClient browser = StaffBrowser.open()) {
            StaffBrowser.signIn(browser, invoices, TestRealm.newPerson("operator", null));
            HtmlPage waiting = browser.getPage(new URL(invoices, "/portal/operator/unpriced?operator="
                    + world.operatorId()));
            assertThat(waiting.getElementById("unpriced").asNormalizedText())
                    .contains("op-records-beta\tunpriced-model\t1\tDec 12, 2026, 8:00 AM\tDec 12, 2026, 8:00 AM\t");
            HtmlPage audit = browser.getPage(new URL(invoices, "/portal/operator/audit?operator="
                    + world.operatorId() + "&month=2026-12"));
            assertThat(audit.getElementById("audit").asNormalizedText()).contains(
                    "invoice\tOP-RECORDS-OP-2026-000001\tAcme op-records\tfinalized\tvoid\t",
                    "\tTest void",
                    "invoice\tOP-RECORDS-OP-2026-000001\tAcme op-records\tdraft\tfinalized\t");
        }
        operator().when().get("/admin/v1/operators/" + world.operatorId() + "/audit?period=2026-11")
                .then().statusCode(200).body("size()", equalTo(0));
    }
}

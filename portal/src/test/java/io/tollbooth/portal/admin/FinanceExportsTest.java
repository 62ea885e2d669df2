package io.tollbooth.portal.admin;

import static io.tollbooth.portal.BillingWorld.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.export.InvoiceCsvExporter;
import io.tollbooth.billing.export.UsageCsvExporter;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.BillingWorld;
import io.tollbooth.portal.TestRealm;
import jakarta.inject.Inject;
import java.io.StringWriter;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Finance's exports over a range of months and for one client, and the reconciliation report, through the admin
 * API. December 2026 is invoiced and finalized: Acme 2.50 USD (FIN-API-OP-2026-000001), Beta 1.50 USD
 * (FIN-API-OP-2026-000002); November has nothing. A row of these exports is billing's own row, byte for byte.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class FinanceExportsTest {

    private static final YearMonth DECEMBER = YearMonth.of(2026, 12);

    private static BillingWorld world;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    InvoiceCsvExporter invoiceExporter;

    @Inject
    UsageCsvExporter usageExporter;

    @BeforeEach
    void invoiceDecember() {
        if (world == null) {
            world = BillingWorld.create("fin-api", bootstrapServers);
            operator().body(Map.of("operatorId", world.operatorId(), "period", "2026-12", "closeEarly", true))
                    .when().post("/admin/v1/invoice-runs").then().statusCode(200);
        }
    }

    @Test
    void exportsTheInvoiceRegisterOfARangeForOneClient() throws Exception {
        assertThat(csv("invoices.csv?from=2026-11&to=2026-12&clientId=" + world.betaId())).isEqualTo(
                "number,status,client,client_name,period_start,period_end,issue_date,due_date,currency,subtotal,tax,"
                        + "total,credit_applied,amount_due\r\n"
                        + "FIN-API-OP-2026-000002,FINALIZED,fin-api-beta,Beta fin-api,2026-12-01,2026-12-31,"
                        + "2026-12-15,2027-01-14,USD,1.50,0.00,1.50,0.00,1.50\r\n");
        StringWriter billing = new StringWriter();
        invoiceExporter.writeSummary(UUID.fromString(world.operatorId()), DECEMBER, billing);
        assertThat(csv("invoices.csv?period=2026-12")).isEqualTo(billing.toString()).contains("FIN-API-OP-2026-000001");
    }

    @Test
    void exportsInvoiceLinesForOneClient() throws Exception {
        assertThat(csv("invoice-lines.csv?from=2026-12&to=2026-12&clientId=" + world.acmeId())).isEqualTo(
                "number,status,client,line_no,line_type,description,model,unit,usage_date,quantity,"
                        + "unit_price,priced_per,amount,currency\r\n"
                        + "FIN-API-OP-2026-000001,FINALIZED,fin-api-acme,1,USAGE,world-model input tokens,world-model,"
                        + "input,,1000000,2.50,1M tokens,2.50,USD\r\n");
        StringWriter billing = new StringWriter();
        invoiceExporter.writeLines(UUID.fromString(world.operatorId()), DECEMBER, billing);
        assertThat(csv("invoice-lines.csv?period=2026-12")).isEqualTo(billing.toString());
    }

    @Test
    void exportsUsageDetailAndSummaryAsBillingWritesThem() throws Exception {
        StringWriter detail = new StringWriter();
        usageExporter.writeOperatorMonth(UUID.fromString(world.operatorId()), DECEMBER, detail);
        String all = csv("usage.csv?from=2026-11&to=2026-12");
        assertThat(all).isEqualTo(detail.toString());
        assertThat(all.split("\r\n")).hasSize(4);

        StringWriter beta = new StringWriter();
        usageExporter.writeClientMonth(UUID.fromString(world.betaId()), DECEMBER, beta);
        assertThat(csv("usage.csv?from=2026-11&to=2026-12&clientId=" + world.betaId())).isEqualTo(beta.toString())
                .contains(",fin-api-beta,req-fin-api-beta,world-model,input,200000,", ",output,100000,");

        StringWriter summary = new StringWriter();
        usageExporter.writeDailySummary(UUID.fromString(world.operatorId()), DECEMBER, summary);
        assertThat(csv("usage-summary.csv?period=2026-12")).isEqualTo(summary.toString());
        assertThat(csv("usage-summary.csv?period=2026-12&clientId=" + world.acmeId()).split("\r\n"))
                .containsExactly("day,client,model,token_kind,events,quantity,amount,currency",
                        "2026-12-10,fin-api-acme,world-model,input,1,1000000,2.5,USD");
    }

    @Test
    void reconcilesTheMonthAsJsonAndCsv() {
        operator().when().get("/admin/v1/reconciliation?operatorId=" + world.operatorId() + "&period=2026-12")
                .then().statusCode(200)
                .body("number", equalTo(List.of("FIN-API-OP-2026-000001", "FIN-API-OP-2026-000002")),
                        "client", equalTo(List.of("fin-api-acme", "fin-api-beta")),
                        "ratedEvents", equalTo(List.of(1, 1)),
                        "linesAmount", equalTo(List.of("2.50", "1.50")),
                        "amountDue", equalTo(List.of("2.50", "1.50")),
                        "balanced", equalTo(List.of(true, true)));
        String csv = operator().when()
                .get("/admin/v1/exports/reconciliation.csv?operatorId=" + world.operatorId() + "&period=2026-12")
                .then().statusCode(200).extract().asString();
        assertThat(csv.split("\r\n")).hasSize(3).startsWith(String.join(",",
                io.tollbooth.portal.finance.Reconciliations.HEADER));
        assertThat(csv).contains("FIN-API-OP-2026-000001,fin-api-acme,2026-12-01,2026-12-31,USD,1,",
                ",2.50,2.50,,true,\r\n");
    }

    @Test
    void refusesBadRangesForeignClientsAndClientPeople() {
        String base = "/admin/v1/exports/invoices.csv?operatorId=" + world.operatorId();
        operator().when().get(base + "&from=2026-12&to=2026-11").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("detail", equalTo("the range ends (2026-11) before it starts "
                        + "(2026-12)"));
        operator().when().get(base + "&from=2024-01&to=2026-12").then().statusCode(400);
        operator().when().get(base).then().statusCode(400);
        operator().when().get(base + "&period=2026-12&clientId=" + UUID.randomUUID()).then().statusCode(404);
        Admin.as(TestRealm.person("finance", null)).when().get(base + "&period=2026-12").then().statusCode(200);
        Admin.as(TestRealm.person("client-admin", world.acmeId())).when().get(base + "&period=2026-12")
                .then().statusCode(403);
    }

    private static String csv(String path) {
        return operator().when().get("/admin/v1/exports/" + path + (path.contains("?") ? "&" : "?") + "operatorId="
                + world.operatorId()).then().statusCode(200).contentType("text/csv").extract().asString();
    }
}

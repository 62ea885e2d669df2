package io.tollbooth.portal.web;

import static io.tollbooth.portal.BillingWorld.operator;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.BillingWorld;
import io.tollbooth.portal.TestRealm;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.junit.jupiter.api.Test;

/**
 * A finance person signs in through the real Keycloak login page and reads December 2026: the invoice register,
 * the reconciliation report and an export for one client. Acme owes 2.50 USD, Beta 1.50 USD; Beta's invoice is then
 * voided, so the issued total is 2.50 USD.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class FinancePagesTest {

    @TestHTTPResource("/portal/finance")
    URL finance;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void financeReadsTheRegisterReconciliationAndExportsOfAMonth() throws Exception {
        BillingWorld world = BillingWorld.create("fin-pages", bootstrapServers);
        String beta = operator().body(Map.of("operatorId", world.operatorId(), "period", "2026-12",
                        "closeEarly", true))
                .when().post("/admin/v1/invoice-runs").then().statusCode(200).extract()
                .jsonPath().getString("invoices.find { it.clientId == '" + world.betaId() + "' }.id");
        operator().body(Map.of("reason", "Sent to the wrong company")).when()
                .post("/admin/v1/invoices/" + beta + "/void").then().statusCode(200);
        String month = "?operator=" + world.operatorId() + "&month=2026-12";

        try (WebClient browser = StaffBrowser.open()) {
            StaffBrowser.signIn(browser, finance, TestRealm.newPerson("finance", null));
            HtmlPage register = browser.getPage(new URL(finance, "/portal/finance/register" + month));
            assertThat(register.getTitleText()).isEqualTo("Invoice register · Tollbooth staff");
            assertThat(register.querySelector("nav").asNormalizedText()).doesNotContain("Invoice runs");
            assertThat(register.getElementById("register").asNormalizedText()).contains(
                    "FIN-PAGES-OP-2026-000001\tAcme fin-pages\tDec 1, 2026 – Dec 31, 2026\tfinalized\tDec 15, 2026\t"
                            + "Jan 14, 2027\tUSD\t$2.50\t$0.00\t$2.50\t$0.00\t$2.50",
                    "FIN-PAGES-OP-2026-000002\tBeta fin-pages\tDec 1, 2026 – Dec 31, 2026\tvoid\t");
            assertThat(register.getElementById("currency-totals").asNormalizedText())
                    .contains("USD\t1\t$2.50\t$2.50");

            HtmlPage reconciliation = browser.getPage(new URL(finance, "/portal/finance/reconciliation" + month));
            assertThat(reconciliation.getElementById("reconciliation").asNormalizedText())
                    .contains("FIN-PAGES-OP-2026-000001\tAcme fin-pages\t1\t2.5", "\t$2.50\t$2.50\tnot sent\tbalanced");
            Page reportCsv = browser.getPage(new URL(finance, "/portal/finance/reconciliation.csv" + month));
            assertThat(reportCsv.getWebResponse().getContentAsString(StandardCharsets.UTF_8))
                    .contains("FIN-PAGES-OP-2026-000001,fin-pages-acme,2026-12-01,2026-12-31,USD,1,");

            HtmlPage exports = browser.getPage(new URL(finance, "/portal/finance/exports" + month));
            HtmlForm form = exports.getHtmlElementById("export-form");
            form.<HtmlSelect>getSelectByName("kind").setSelectedAttribute("invoices", true);
            form.getSelectByName("client").setSelectedAttribute(world.acmeId(), true);
            Page download = form.getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(download.getWebResponse().getResponseHeaderValue("Content-Disposition"))
                    .isEqualTo("attachment; filename=\"invoices-fin-pages-op-fin-pages-acme-2026-12.csv\"");
            assertThat(download.getWebResponse().getContentAsString(StandardCharsets.UTF_8)).isEqualTo(
                    "number,status,client,client_name,period_start,period_end,issue_date,due_date,currency,subtotal,"
                            + "tax,total,credit_applied,amount_due\r\n"
                            + "FIN-PAGES-OP-2026-000001,FINALIZED,fin-pages-acme,Acme fin-pages,2026-12-01,2026-12-31,"
                            + "2026-12-15,2027-01-14,USD,2.50,0.00,2.50,0.00,2.50\r\n");
        }
    }

    @Test
    void aClientsPersonCannotOpenFinancePages() throws Exception {
        BillingWorld world = BillingWorld.create("fin-guard", bootstrapServers);
        try (WebClient browser = StaffBrowser.open()) {
            Page page = StaffBrowser.signInTo(browser, finance, TestRealm.newPerson("client-viewer", world.acmeId()));
            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(403);
        }
    }
}

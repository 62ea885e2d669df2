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
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;

/**
 * An operator signs in through the real Keycloak login page and runs December 2026 from the invoice-run pages:
 * closes the month into drafts, reviews a draft's lines, finalizes it, credits part of it and is refused a void.
 * Acme used 1,000,000 input tokens at 2.50 per million (2.50 USD), Beta 200,000 input and 100,000 output tokens
 * (0.50 + 1.00 USD); see {@link BillingWorld}.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class OperatorPagesTest {

    @TestHTTPResource("/portal/operator/invoices")
    URL invoices;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void anOperatorClosesTheMonthReviewsFinalizesAndCreditsAnInvoice() throws Exception {
        BillingWorld world = BillingWorld.create("op-pages", bootstrapServers);
        URL month = new URL(invoices, "/portal/operator/invoices?operator=" + world.operatorId() + "&month=2026-12");

        try (WebClient browser = StaffBrowser.open()) {
            StaffBrowser.signIn(browser, invoices, TestRealm.newPerson("operator", null));
            HtmlPage empty = browser.getPage(month);
            assertThat(empty.getTitleText()).isEqualTo("Invoice runs · Tollbooth staff");
            assertThat(empty.asNormalizedText()).contains("No invoices for 2026-12 yet.");

            HtmlForm run = empty.getHtmlElementById("run-form");
            assertThat(run.getInputByName("csrf-token").getValue()).isNotBlank();
            ((HtmlCheckBoxInput) run.getInputByName("closeEarly")).setChecked(true);
            HtmlPage result = run.getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(result.getElementById("outcomes").asNormalizedText())
                    .contains("Acme op-pages\tinvoiced\tDRAFT\tdraft\t$2.50",
                            "Beta op-pages\tinvoiced\tDRAFT\tdraft\t$1.50");

            HtmlPage list = browser.getPage(month);
            assertThat(list.getElementById("invoices").asNormalizedText())
                    .contains("DRAFT of Acme op-pages\tAcme op-pages\tDec 1, 2026 – Dec 31, 2026\tdraft\t$2.50\t$2.50");
            HtmlPage draft = list.getAnchorByText("DRAFT of Beta op-pages").click();
            assertThat(draft.getElementById("lines").asNormalizedText())
                    .contains("#\tDescription\tQuantity\tUnit price\tAmount",
                            "1\tworld-model input tokens\t200,000\t2.50 USD per 1M tokens\t$0.50",
                            "2\tworld-model output tokens\t100,000\t10.00 USD per 1M tokens\t$1.00");
            assertThat(draft.getElementById("totals").asNormalizedText())
                    .contains("Subtotal\t$1.50", "Total\t$1.50", "Amount due\t$1.50");
            assertThat(draft.getElementById("stripe-form")).as("Stripe is off in tests").isNull();

            HtmlPage finalized = draft.getHtmlElementById("finalize-form")
                    .getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(finalized.getUrl().getQuery()).isEqualTo("done=finalized");
            assertThat(finalized.getElementById("notice").asNormalizedText())
                    .isEqualTo("The invoice was finalized and numbered.");
            assertThat(finalized.getTitleText()).isEqualTo("Invoice OP-PAGES-OP-2026-000001 · Tollbooth staff");
            assertThat(finalized.getElementById("facts").asNormalizedText())
                    .contains("Issued\nDec 15, 2026", "Due\nJan 14, 2027");

            HtmlForm credit = finalized.getHtmlElementById("credit-form");
            credit.getInputByName("reason").type("Slow responses on Dec 11");
            credit.getInputByName("amount").type("0.40");
            credit.getInputByName("description").type("Service credit");
            HtmlPage credited = credit.getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(credited.getElementById("credit-notes").asNormalizedText())
                    .contains("CN-OP-PAGES-OP-2026-000001\tDec 15, 2026\t$0.40");
            assertThat(credited.getElementById("history").asNormalizedText())
                    .contains("\tdraft\toperator-", "\tperiod closed early", "\tdraft\tfinalized\toperator-");
            assertThat(credited.getElementById("void-form")).as("a credited invoice is credited, not voided").isNull();

            HtmlForm tooMuch = credited.getHtmlElementById("credit-form");
            tooMuch.getInputByName("reason").type("Everything and more");
            tooMuch.getInputByName("amount").type("1.20");
            HtmlPage refused = tooMuch.getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(409);
            assertThat(refused.getElementById("error").asNormalizedText())
                    .isEqualTo("invoice OP-PAGES-OP-2026-000001 has 1.10 USD left to credit before tax; "
                            + "a credit note of 1.20 USD is not possible");
        }
        operator().when().get("/admin/v1/invoices?operatorId=" + world.operatorId() + "&period=2026-12&status=draft")
                .then().statusCode(200).body("billTo.name", org.hamcrest.Matchers.equalTo(List.of("Acme op-pages")));
    }

    @Test
    void anOperatorVoidsAFinalizedInvoiceWithAReason() throws Exception {
        BillingWorld world = BillingWorld.create("op-void", bootstrapServers);
        String acme = operator().body(java.util.Map.of("operatorId", world.operatorId(), "period", "2026-12",
                        "closeEarly", true))
                .when().post("/admin/v1/invoice-runs").then().statusCode(200).extract()
                .jsonPath().getString("invoices.find { it.clientId == '" + world.acmeId() + "' }.id");

        try (WebClient browser = StaffBrowser.open()) {
            StaffBrowser.signIn(browser, invoices, TestRealm.newPerson("operator", null));
            HtmlPage invoice = browser.getPage(new URL(invoices, "/portal/operator/invoices/" + acme));
            HtmlForm form = invoice.getHtmlElementById("void-form");
            form.getInputByName("reason").type("Duplicate of a manual invoice");
            HtmlPage voided = form.getOneHtmlElementByAttribute("button", "type", "submit").click();

            assertThat(voided.getElementById("notice").asNormalizedText())
                    .isEqualTo("The invoice was voided. It keeps its number and owes nothing.");
            assertThat(voided.getElementById("facts").asNormalizedText())
                    .contains("Voided because\nDuplicate of a manual invoice");
            assertThat(voided.getElementById("history").asNormalizedText())
                    .contains("finalized\tvoid\t", "Duplicate of a manual invoice");
        }
    }

    @Test
    void refusesAFormWithoutItsCsrfTokenAndPeopleWhoAreNotOperators() throws Exception {
        BillingWorld world = BillingWorld.create("op-guard", bootstrapServers);
        URL month = new URL(invoices, "/portal/operator/invoices?operator=" + world.operatorId() + "&month=2026-12");

        try (WebClient browser = StaffBrowser.open()) {
            StaffBrowser.signIn(browser, month, TestRealm.newPerson("operator", null));
            WebRequest forged = new WebRequest(new URL(invoices, "/portal/operator/invoices/run"), HttpMethod.POST);
            forged.setRequestParameters(List.of(new NameValuePair("operator", world.operatorId()),
                    new NameValuePair("month", "2026-12"), new NameValuePair("closeEarly", "true")));
            assertThat(browser.getPage(forged).getWebResponse().getStatusCode()).isEqualTo(400);
        }
        operator().when().get("/admin/v1/invoices?operatorId=" + world.operatorId() + "&period=2026-12")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));

        for (TestRealm.Credentials person : List.of(TestRealm.newPerson("finance", null),
                TestRealm.newPerson("client-admin", world.acmeId()))) {
            try (WebClient browser = StaffBrowser.open()) {
                Page page = StaffBrowser.signInTo(browser, month, person);
                assertThat(page.getWebResponse().getStatusCode()).isEqualTo(403);
            }
        }
    }
}

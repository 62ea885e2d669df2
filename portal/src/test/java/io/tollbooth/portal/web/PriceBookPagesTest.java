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
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlFileInput;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * An operator keeps the price book from the pages, signed in through the real Keycloak login page. The world of
 * {@link BillingWorld} (plan 2.50 input and 10.00 output per 1M; Beta used 200,000 input and 100,000 output tokens
 * in December 2026) gets cost prices of 1.00 and 4.00 per 1M through the API and Beta's December is re-rated, so
 * Beta's margin is 1.50 − 0.60 = 0.90 USD.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class PriceBookPagesTest {

    /** LiteLLM's price table excerpt among the shared fixtures beside the checkout. */
    private static final Path LITELLM_TABLE = Path.of(System.getProperty("tollbooth.root", "."), "..", "shared",
            "fixtures", "litellm", "litellm_model_prices_excerpt.json");

    @TestHTTPResource("/portal/operator/price-book")
    URL priceBook;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void anOperatorAddsCostsConfirmsAnOutOfLinePriceDerivesSelfHostedCostsAndReadsMargins() throws Exception {
        BillingWorld world = BillingWorld.create("pb-pages", bootstrapServers);
        operator().body(Map.of("operatorId", world.operatorId(), "name", "pb-local"))
                .when().post("/admin/v1/models").then().statusCode(201);
        operator().body(Map.of("prices", List.of(
                        Map.of("model", BillingWorld.MODEL, "unit", "input", "unitPrice", "1.00",
                                "effectiveFrom", "2026-01-01T00:00:00Z"),
                        Map.of("model", BillingWorld.MODEL, "unit", "output", "unitPrice", "4.00",
                                "effectiveFrom", "2026-01-01T00:00:00Z"))))
                .when().post("/admin/v1/operators/" + world.operatorId() + "/cost-prices").then().statusCode(201);
        operator().body(Map.of("from", "2026-12-01", "to", "2026-12-31", "reason", "costs entered"))
                .when().post("/admin/v1/clients/" + world.betaId() + "/rerate").then().statusCode(200);

        try (WebClient browser = StaffBrowser.open()) {
            TestRealm.Credentials person = TestRealm.newPerson("operator", null);
            URL costsUrl = new URL(priceBook, "/portal/operator/price-book?operator=" + world.operatorId());
            HtmlPage costs = StaffBrowser.signIn(browser, costsUrl, person);
            assertThat(costs.getTitleText()).isEqualTo("Price book · Tollbooth staff");
            assertThat(costs.getElementById("cost-prices").asNormalizedText())
                    .contains("world-model\tinput tokens\t\t1.00 USD per 1M tokens\tJan 1, 2026, 12:00 AM\t\t"
                            + "in force\ttyped in\t");

            // 400 per 1M after 4.00 is 100 times the previous price: held back with the reason and a tick to confirm.
            HtmlForm add = costs.getHtmlElementById("cost-form");
            add.getSelectByName("model").setSelectedAttribute(BillingWorld.MODEL, true);
            add.getSelectByName("unit").setSelectedAttribute("output", true);
            add.getInputByName("unitPrice").type("400");
            add.getInputByName("effectiveFrom").setValue("2027-01-01T00:00");
            HtmlPage held = submit(add);
            assertThat(held.getWebResponse().getStatusCode()).isEqualTo(409);
            assertThat(held.getElementById("warning").asNormalizedText())
                    .contains("world-model output from 2027-01-01T00:00:00Z: 400 is 100 times the previous 4; "
                            + "was a per-token price typed into a per-1M field?");
            assertThat(held.getElementById("cost-prices").asNormalizedText()).doesNotContain("400 USD");
            HtmlForm again = held.getHtmlElementById("cost-form");
            assertThat(again.getInputByName("unitPrice").getValue()).isEqualTo("400");
            ((HtmlCheckBoxInput) again.getInputByName("confirm")).setChecked(true);
            HtmlPage added = submit(again);
            assertThat(added.getElementById("notice").asNormalizedText()).isEqualTo("The cost price was added.");
            assertThat(added.getElementById("cost-prices").asNormalizedText())
                    .contains("world-model\toutput tokens\t\t4.00 USD per 1M tokens\tJan 1, 2026, 12:00 AM\t"
                                    + "Jan 1, 2027, 12:00 AM\tin force\ttyped in\t",
                            "world-model\toutput tokens\t\t400 USD per 1M tokens\tJan 1, 2027, 12:00 AM\t\t"
                                    + "scheduled\ttyped in\t" + person.username());

            HtmlForm basis = added.getHtmlElementById("self-hosted-form");
            basis.getSelectByName("model").setSelectedAttribute("pb-local", true);
            basis.getInputByName("node").type("gpu-a100");
            basis.getInputByName("costPerHour").type("2.50");
            basis.getInputByName("inputTokensPerSecond").type("2400");
            basis.getInputByName("outputTokensPerSecond").type("700");
            basis.getInputByName("effectiveFrom").setValue("2026-01-01T00:00");
            HtmlPage derived = submit(basis);
            assertThat(derived.getElementById("self-hosted").asNormalizedText())
                    .contains("pb-local\tgpu-a100\t$2.50 per hour\t2400\t700\t0.2893518519 USD per 1M tokens\t"
                            + "0.9920634921 USD per 1M tokens\tJan 1, 2026, 12:00 AM");
            assertThat(derived.getElementById("cost-prices").asNormalizedText())
                    .contains("pb-local\tinput tokens\t\t0.2893518519 USD per 1M tokens\tJan 1, 2026, 12:00 AM\t\t"
                            + "in force\tself-hosted basis\t");

            HtmlPage beta = browser.getPage(new URL(priceBook, "/portal/operator/price-book/clients/"
                    + world.betaId() + "?period=2026-12"));
            assertThat(beta.getTitleText()).isEqualTo("Pricing of Beta pb-pages · Tollbooth staff");
            assertThat(beta.getElementById("margins").asNormalizedText())
                    .contains("world-model\t1\t$1.50\t$0.60\t$0.00\t$0.90\t60.0 %",
                            "Total\t1\t$1.50\t$0.60\t$0.00\t$0.90\t60.0 %");
            assertThat(beta.getElementById("plan-prices").asNormalizedText())
                    .contains("world-model\tinput tokens\t2.50 USD per 1M tokens\tJan 1, 2026, 12:00 AM");
            HtmlPage november = browser.getPage(new URL(priceBook, "/portal/operator/price-book/clients/"
                    + world.betaId() + "?period=2026-11"));
            assertThat(november.asNormalizedText()).contains("No rated usage in these days.");

            HtmlPage clients = browser.getPage(new URL(priceBook, "/portal/operator/price-book/clients?operator="
                    + world.operatorId() + "&month=2026-12"));
            assertThat(clients.getElementById("clients").asNormalizedText())
                    .contains("Acme pb-pages\tpb-pages-acme\tUSD\t$2.50\t$0.00\t$2.50\t–\t–",
                            "Beta pb-pages\tpb-pages-beta\tUSD\t$1.50\t$0.60\t$0.00\t$0.90\t60.0 %");

            HtmlForm markup = beta.getHtmlElementById("markup-form");
            markup.getInputByName("percent").type("15");
            markup.getInputByName("effectiveFrom").setValue("2026-01-01T00:00");
            HtmlPage marked = submit(markup);
            assertThat(marked.getElementById("notice").asNormalizedText()).isEqualTo("The markup was set.");
            assertThat(marked.getElementById("markups").asNormalizedText())
                    .contains("15 %\tJan 1, 2026, 12:00 AM\t" + person.username());

            HtmlForm own = marked.getHtmlElementById("price-form");
            own.getSelectByName("model").setSelectedAttribute(BillingWorld.MODEL, true);
            own.getSelectByName("unit").setSelectedAttribute("output", true);
            own.getInputByName("unitPrice").type("9.00");
            own.getInputByName("effectiveFrom").setValue("2026-01-01T00:00");
            HtmlPage priced = submit(own);
            assertThat(priced.getElementById("client-prices").asNormalizedText())
                    .contains("world-model\toutput tokens\t\t\t9.00 USD per 1M tokens\tJan 1, 2026, 12:00 AM");
            HtmlForm band = priced.getHtmlElementById("price-form");
            band.getSelectByName("model").setSelectedAttribute(BillingWorld.MODEL, true);
            band.getSelectByName("unit").setSelectedAttribute("output", true);
            band.getInputByName("unitPrice").type("6.00");
            band.getInputByName("monthlyFrom").type("1000000");
            band.getInputByName("effectiveFrom").setValue("2026-01-01T00:00");
            HtmlPage banded = submit(band);
            assertThat(banded.getElementById("client-prices").asNormalizedText()).contains(
                    "world-model\toutput tokens\t\tfrom unit 1,000,000 of the month (graduated)\t6.00 USD per 1M tokens"
                            + "\tJan 1, 2026, 12:00 AM");
            HtmlForm badBand = banded.getHtmlElementById("price-form");
            badBand.getInputByName("unitPrice").type("5.00");
            badBand.getInputByName("monthlyFrom").type("2 million");
            badBand.getInputByName("effectiveFrom").setValue("2026-01-01T00:00");
            HtmlPage bandRefused = submit(badBand);
            assertThat(bandRefused.getElementById("error").asNormalizedText())
                    .isEqualTo("Write the start of the monthly band as a whole number, or leave it empty.");
            assertThat(bandRefused.getHtmlElementById("price-band").getAttribute("value")).isEqualTo("2 million");

            HtmlPage fresh = browser.getPage(banded.getUrl());
            HtmlForm typo = fresh.getHtmlElementById("price-form");
            typo.getSelectByName("model").setSelectedAttribute(BillingWorld.MODEL, true);
            typo.getSelectByName("unit").setSelectedAttribute("output", true);
            typo.getInputByName("unitPrice").type("0.00009");
            typo.getInputByName("effectiveFrom").setValue("2027-01-01T00:00");
            HtmlPage refused = submit(typo);
            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(409);
            assertThat(refused.getElementById("warning").asNormalizedText())
                    .contains("0.00009 is 1/100000 of the previous 9");

            HtmlForm bad = refused.getHtmlElementById("markup-form");
            bad.getInputByName("percent").type("a lot");
            bad.getInputByName("effectiveFrom").setValue("2026-01-01T00:00");
            HtmlPage badPage = submit(bad);
            assertThat(badPage.getElementById("error").asNormalizedText())
                    .isEqualTo("Write the markup as a percentage such as 20 or -12.5.");

            // A link with a bad value answers with a page that says what is wrong, not with the API's JSON.
            HtmlPage badLink = browser.getPage(new URL(priceBook, "/portal/operator/price-book?operator=acme"));
            assertThat(badLink.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(badLink.getWebResponse().getContentType()).isEqualTo("text/html");
            assertThat(badLink.getTitleText()).isEqualTo("Invalid request · Tollbooth");
            assertThat(badLink.getElementById("error").asNormalizedText()).isEqualTo("operator must be a UUID");
        }
    }

    @Test
    void anOperatorMovesAClientToAnotherPlanFromALaterDayAndIsRefusedThePast() throws Exception {
        BillingWorld world = BillingWorld.create("pb-move", bootstrapServers);
        operator().body(Map.of("operatorId", world.operatorId(), "name", "Premium", "currency", "USD",
                        "prices", List.of(Map.of("model", BillingWorld.MODEL, "tokenKind", "input",
                                "pricePerMillion", "5.00", "effectiveFrom", "2026-01-01T00:00:00Z"))))
                .when().post("/admin/v1/price-plans").then().statusCode(201);

        try (WebClient browser = StaffBrowser.open()) {
            URL page = new URL(priceBook, "/portal/operator/price-book/clients/" + world.acmeId());
            HtmlPage acme = StaffBrowser.signIn(browser, page, TestRealm.newPerson("operator", null));
            assertThat(acme.getElementById("moves-heading").getParentNode().asNormalizedText())
                    .contains("None: the client stays on the plan it was created with.");

            HtmlForm move = acme.getHtmlElementById("plan-form");
            move.getSelectByName("plan").setSelectedAttribute(planId(move, "Premium"), true);
            move.getInputByName("effectiveFrom").setValue("2026-12-20T00:00");
            HtmlPage moved = submit(move);
            assertThat(moved.getElementById("notice").asNormalizedText())
                    .isEqualTo("The move to the other plan was recorded; it applies to usage from its time on.");
            assertThat(moved.getElementById("plan-moves").asNormalizedText())
                    .contains("Premium\tDec 20, 2026, 12:00 AM\toperator-");

            HtmlForm past = moved.getHtmlElementById("plan-form");
            past.getSelectByName("plan").setSelectedAttribute(planId(past, "Premium"), true);
            past.getInputByName("effectiveFrom").setValue("2026-12-01T00:00");
            HtmlPage refused = submit(past);
            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(refused.getElementById("error").asNormalizedText())
                    .isEqualTo("effectiveFrom 2026-12-01T00:00:00Z is before now (2026-12-15T10:00:00Z): a move to "
                            + "another plan applies to usage from now on; correct past usage by re-rating");
            assertThat(refused.getElementById("plan-moves").asNormalizedText()).doesNotContain("Dec 1, 2026");
        }
        operator().when().get("/admin/v1/clients/" + world.acmeId() + "/plan-changes").then().statusCode(200)
                .body("changes.planName", org.hamcrest.Matchers.equalTo(List.of("Premium")));
    }

    private static String planId(HtmlForm form, String name) {
        return form.getSelectByName("plan").getOptions().stream().filter(o -> o.getText().equals(name))
                .findFirst().orElseThrow().getValueAttribute();
    }

    @Test
    void anOperatorUploadsLiteLlmsTableAndSeesWhatChanged() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(LITELLM_TABLE), "LiteLLM's price table excerpt is not at "
                + LITELLM_TABLE);
        String operatorId = operator().body(Map.of("slug", "pb-upload-op", "name", "PB Upload", "currency", "USD"))
                .when().post("/admin/v1/operators").then().statusCode(201).extract().path("id");
        operator().body(Map.of("operatorId", operatorId, "name", "house-model"))
                .when().post("/admin/v1/models").then().statusCode(201);
        operator().body(Map.of("prices", List.of(Map.of("model", "house-model", "unit", "input", "unitPrice",
                        "2.00", "effectiveFrom", "2026-01-01T00:00:00Z"))))
                .when().post("/admin/v1/operators/" + operatorId + "/cost-prices").then().statusCode(201);

        try (WebClient browser = StaffBrowser.open()) {
            HtmlPage costs = StaffBrowser.signIn(browser, new URL(priceBook, "/portal/operator/price-book?operator="
                    + operatorId), TestRealm.newPerson("operator", null));
            HtmlForm upload = costs.getHtmlElementById("import-form");
            ((HtmlFileInput) upload.getInputByName("table")).setFiles(new File(LITELLM_TABLE.toString()));
            upload.getInputByName("effectiveFrom").setValue("2026-06-01T00:00");
            upload.getTextAreaByName("models").setText("house-model=gpt-4o");
            HtmlPage imported = submit(upload);
            assertThat(imported.getElementById("notice").asNormalizedText())
                    .isEqualTo("3 prices imported: 2 new, 1 changed, 0 unchanged.");
            assertThat(imported.getElementById("imported").asNormalizedText())
                    .contains("house-model\tgpt-4o\tcached input tokens\t\t\t1.25 USD per 1M tokens\tnew\t"
                                    + "Jun 1, 2026, 12:00 AM",
                            "house-model\tgpt-4o\tinput tokens\t\t2.00 USD per 1M tokens\t2.5 USD per 1M tokens\t"
                                    + "changed\tJun 1, 2026, 12:00 AM",
                            "house-model\tgpt-4o\toutput tokens\t\t\t10 USD per 1M tokens\tnew\t"
                                    + "Jun 1, 2026, 12:00 AM");

            HtmlPage after = browser.getPage(new URL(priceBook, "/portal/operator/price-book?operator=" + operatorId));
            assertThat(after.getElementById("cost-prices").asNormalizedText())
                    .contains("house-model\tinput tokens\t\t2.00 USD per 1M tokens\tJan 1, 2026, 12:00 AM\t"
                                    + "Jun 1, 2026, 12:00 AM\tpast\ttyped in\t",
                            "house-model\tinput tokens\t\t2.5 USD per 1M tokens\tJun 1, 2026, 12:00 AM\t\t"
                                    + "in force\tLiteLLM import\t");
        }
    }

    @Test
    void refusesAFormWithoutItsCsrfTokenAndPeopleWhoAreNotOperators() throws Exception {
        String operatorId = operator().body(Map.of("slug", "pb-guard-op", "name", "PB Guard", "currency", "USD"))
                .when().post("/admin/v1/operators").then().statusCode(201).extract().path("id");
        operator().body(Map.of("operatorId", operatorId, "name", "guard-model"))
                .when().post("/admin/v1/models").then().statusCode(201);
        String planId = operator().body(Map.of("operatorId", operatorId, "name", "Standard", "currency", "USD",
                        "prices", List.of(Map.of("model", "guard-model", "tokenKind", "input", "pricePerMillion",
                                "1.00", "effectiveFrom", "2026-01-01T00:00:00Z"))))
                .when().post("/admin/v1/price-plans").then().statusCode(201).extract().path("id");
        String clientId = operator().body(Map.of("operatorId", operatorId, "slug", "pb-guard", "name", "Guard",
                        "currency", "USD", "timeZone", "UTC", "pricePlanId", planId))
                .when().post("/admin/v1/clients").then().statusCode(201).extract().path("id");
        URL costs = new URL(priceBook, "/portal/operator/price-book?operator=" + operatorId);

        try (WebClient browser = StaffBrowser.open()) {
            StaffBrowser.signIn(browser, costs, TestRealm.newPerson("operator", null));
            WebRequest forged = new WebRequest(new URL(priceBook, "/portal/operator/price-book/costs"),
                    HttpMethod.POST);
            forged.setRequestParameters(List.of(new NameValuePair("operator", operatorId),
                    new NameValuePair("model", "guard-model"), new NameValuePair("unit", "input"),
                    new NameValuePair("unitPrice", "1.00"), new NameValuePair("effectiveFrom", "2026-01-01T00:00")));
            assertThat(browser.getPage(forged).getWebResponse().getStatusCode()).isEqualTo(400);
        }
        operator().when().get("/admin/v1/operators/" + operatorId + "/cost-prices")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));

        URL clientPage = new URL(priceBook, "/portal/operator/price-book/clients/" + clientId);
        for (TestRealm.Credentials person : List.of(TestRealm.newPerson("finance", null),
                TestRealm.newPerson("client-admin", clientId))) {
            for (URL page : List.of(costs, clientPage)) {
                try (WebClient browser = StaffBrowser.open()) {
                    Page answer = StaffBrowser.signInTo(browser, page, person);
                    assertThat(answer.getWebResponse().getStatusCode()).as(person.username() + " " + page)
                            .isEqualTo(403);
                }
            }
        }
    }

    private static HtmlPage submit(HtmlForm form) throws Exception {
        return form.getOneHtmlElementByAttribute("button", "type", "submit").click();
    }
}

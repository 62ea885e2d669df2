package io.tollbooth.portal.web;

import static io.tollbooth.portal.BillingWorld.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tollbooth.billing.payment.InjectStripeStandIn;
import io.tollbooth.billing.payment.StripeEnabledProfile;
import io.tollbooth.billing.payment.StripeStandIn;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.BillingWorld;
import io.tollbooth.portal.TestRealm;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

/**
 * With payments on, against the Stripe stand-in: an operator finalizes Beta's December draft (0.50 + 1.00 USD) on
 * its invoice page and sends it to Stripe from there, twice. Stripe gets one customer, one invoice with one item per
 * line in cents and one finalization, each under an idempotency key that names the invoice and the purpose; the
 * second press changes nothing at Stripe.
 */
@QuarkusTest
@TestProfile(StripeEnabledProfile.class)
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class OperatorStripePagesTest {

    @TestHTTPResource("/portal/operator/invoices")
    URL invoices;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @InjectStripeStandIn
    StripeStandIn stripe;

    @Test
    void anOperatorSendsAFinalizedInvoiceToStripeOnceHoweverOftenThePageIsSubmitted() throws Exception {
        BillingWorld world = BillingWorld.create("op-stripe", bootstrapServers);
        String beta = operator().body(Map.of("operatorId", world.operatorId(), "period", "2026-12",
                        "closeEarly", true, "draftsOnly", true))
                .when().post("/admin/v1/invoice-runs").then().statusCode(200).extract()
                .jsonPath().getString("invoices.find { it.clientId == '" + world.betaId() + "' }.id");
        stripe.reset();

        String stripeInvoice;
        try (WebClient browser = StaffBrowser.open()) {
            StaffBrowser.signIn(browser, invoices, TestRealm.newPerson("operator", null));
            HtmlPage draft = browser.getPage(new URL(invoices, "/portal/operator/invoices/" + beta));
            assertThat(draft.getElementById("stripe-form")).as("a draft is not collected").isNull();
            HtmlPage finalized = draft.getHtmlElementById("finalize-form")
                    .getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(finalized.getTitleText()).isEqualTo("Invoice OP-STRIPE-OP-2026-000001 · Tollbooth staff");

            HtmlPage pushed = finalized.getHtmlElementById("stripe-form")
                    .getOneHtmlElementByAttribute("button", "type", "submit").click();
            stripeInvoice = stripe.objects("invoice").get(0).get("id").getAsString();
            assertThat(pushed.getElementById("notice").asNormalizedText())
                    .isEqualTo("Stripe: pushed (Stripe invoice " + stripeInvoice + " finalized with 2 items)");
            HtmlPage reopened = browser.getPage(new URL(invoices, "/portal/operator/invoices/" + beta));
            HtmlPage again = reopened.getHtmlElementById("stripe-form")
                    .getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(again.getElementById("notice").asNormalizedText()).startsWith("Stripe: already done");
        }

        String key = "tollbooth:invoice:" + beta + ":";
        assertThat(stripe.requests("POST", "/v1/customers")).hasSize(1);
        String customer = stripe.objects("customer").get(0).get("id").getAsString();
        StripeStandIn.Request create = single(stripe.requests("POST", "/v1/invoices"));
        assertThat(create.idempotencyKey()).isEqualTo(key + "stripe-invoice");
        assertThat(create.params()).contains(entry("customer", customer), entry("currency", "usd"),
                entry("description", "Invoice OP-STRIPE-OP-2026-000001"),
                entry("metadata[tollbooth_invoice_id]", beta));
        assertThat(stripe.requests("POST", "/v1/invoiceitems"))
                .extracting(StripeStandIn.Request::idempotencyKey, r -> r.param("amount"), r -> r.param("currency"))
                .containsExactly(
                        tuple(key + "item:line-1", "50", "usd"),
                        tuple(key + "item:line-2", "100", "usd"));
        assertThat(single(stripe.requests("POST", "/v1/invoices/" + stripeInvoice + "/finalize")).idempotencyKey())
                .isEqualTo(key + "finalize");
        assertThat(stripe.object(stripeInvoice).get("amount_due").getAsLong()).isEqualTo(150L);
        assertThat(stripe.objects("invoice")).hasSize(1);
        assertThat(stripe.objects("invoiceitem")).hasSize(2);

        operator().when().get("/admin/v1/invoices/" + beta).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("SENT"));
    }

    private static StripeStandIn.Request single(List<StripeStandIn.Request> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}

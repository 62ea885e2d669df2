package io.tollbooth.portal.web;

import static io.restassured.RestAssured.given;
import static io.tollbooth.portal.BillingWorld.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import com.google.gson.JsonObject;
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
import io.tollbooth.portal.TestClock;
import io.tollbooth.portal.TestRealm;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;

/**
 * With payments on, against the Stripe stand-in: an operator finalizes Beta's December draft (0.50 + 1.00 USD) on
 * its invoice page and sends it to Stripe from there, twice. Stripe gets one customer, one invoice with one item per
 * line in cents and one finalization, each under an idempotency key that names the invoice and the purpose; the
 * second press changes nothing at Stripe. Stripe's {@code invoice.paid} webhook, signed over the raw body, then marks
 * the invoice paid, once however often it is delivered; a delivery signed with another secret or too long ago is
 * refused.
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
    void anOperatorSendsAFinalizedInvoiceToStripeOnceAndStripesWebhookMarksItPaid() throws Exception {
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

        // Stripe collects it and says so on the webhook route: signed over the raw body, processed once.
        JsonObject paid = stripe.object(stripeInvoice).deepCopy();
        paid.addProperty("status", "paid");
        paid.addProperty("amount_paid", 150);
        paid.addProperty("amount_remaining", 0);
        byte[] delivery = event("evt_op_stripe_paid", "invoice.paid", paid);
        String signature = signature(delivery, TestClock.NOW, StripeEnabledProfile.WEBHOOK_SECRET);

        deliver(delivery, signature).then().statusCode(200)
                .body("received", org.hamcrest.Matchers.equalTo(true))
                .body("duplicate", org.hamcrest.Matchers.equalTo(false));
        deliver(delivery, signature).then().statusCode(200)
                .body("duplicate", org.hamcrest.Matchers.equalTo(true));
        deliver(delivery, signature(delivery, TestClock.NOW, "whsec_not_ours")).then().statusCode(400)
                .body("received", org.hamcrest.Matchers.equalTo(false));
        deliver(delivery, signature(delivery, TestClock.NOW.minusSeconds(301),
                StripeEnabledProfile.WEBHOOK_SECRET)).then().statusCode(400);
        operator().when().get("/admin/v1/invoices/" + beta).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("PAID"));
    }

    private static io.restassured.response.Response deliver(byte[] body, String signature) {
        return given().contentType("application/json; charset=utf-8").header("Stripe-Signature", signature)
                .body(body).when().post("/webhooks/stripe");
    }

    /** A Stripe event around {@code object}, as Stripe's compact JSON. */
    private static byte[] event(String id, String type, JsonObject object) {
        JsonObject event = new JsonObject();
        event.addProperty("id", id);
        event.addProperty("object", "event");
        event.addProperty("api_version", "2026-05-27.dahlia");
        event.addProperty("created", TestClock.NOW.getEpochSecond());
        JsonObject data = new JsonObject();
        data.add("object", object);
        event.add("data", data);
        event.addProperty("livemode", false);
        event.addProperty("pending_webhooks", 1);
        event.addProperty("type", type);
        return StripeStandIn.json(event).getBytes(StandardCharsets.UTF_8);
    }

    /** Stripe's signature header: t, then v1 = HMAC-SHA256 of "t.body" with the endpoint's secret, in hex. */
    private static String signature(byte[] body, Instant at, String secret) throws Exception {
        long t = at.getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static StripeStandIn.Request single(List<StripeStandIn.Request> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}

package io.tollbooth.portal.admin;

import static io.tollbooth.portal.admin.Admin.admin;
import static io.tollbooth.portal.admin.Admin.create;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.BillingWorld;
import io.tollbooth.portal.TestRealm;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A client's billing account, budget and pricing summary through the admin API, against the real database: what
 * billing reads back is what was written, and what billing or the gateway could not honour is refused as problem
 * JSON.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class ClientAccountApiTest {

    @Inject
    AgroalDataSource database;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aNewClientHasTheDefaultAccountAndNoBudget() {
        Tenant t = tenant("acct-default", "EUR");

        admin().when().get(account(t.client())).then().statusCode(200)
                .body("clientId", equalTo(t.client()))
                .body("currency", equalTo("EUR"))
                .body("timeZone", equalTo("Europe/Berlin"))
                .body("billingDay", equalTo(1))
                .body("paymentTermsDays", equalTo(30))
                .body("locale", equalTo("en-US"))
                .body("contactName", nullValue())
                .body("minimumCommitment", nullValue())
                .body("taxRates", equalTo(List.of()))
                .body("stripeCustomerId", nullValue());
        admin().when().get(budget(t.client())).then().statusCode(200)
                .body("amount", nullValue()).body("currency", equalTo("EUR"));
        admin().when().get("/admin/v1/clients?operatorId=" + t.operator()).then().statusCode(200)
                .body("slug", equalTo(List.of("acct-default-c")));
    }

    @Test
    void writesTheWholeAccountWithTaxRatesInOrderAndShowsTheStripeCustomer() throws SQLException {
        Tenant t = tenant("acct-write", "EUR");
        sql("INSERT INTO stripe_customer (client_id, customer_id, created_at, updated_at) VALUES (?, ?, now(), now())",
                UUID.fromString(t.client()), "cus_acctwrite1");

        admin().body(accountBody("EUR", "Europe/Lisbon", 15, List.of(
                        Map.of("name", "VAT 19%", "percent", "19"),
                        Map.of("name", "EU reverse charge", "percent", "0",
                                "reverseChargeNote", "Reverse charge: the recipient accounts for the VAT"))))
                .when().put(account(t.client())).then().statusCode(200)
                .body("timeZone", equalTo("Europe/Lisbon"))
                .body("billingDay", equalTo(15))
                .body("paymentTermsDays", equalTo(14))
                .body("locale", equalTo("de-DE"))
                .body("contactName", equalTo("Accounts Payable"))
                .body("contactEmail", equalTo("ap@acme.example"))
                .body("billingAddress", equalTo("Hauptstraße 1\n10115 Berlin"))
                .body("purchaseOrder", equalTo("PO-4711"))
                .body("minimumCommitment", equalTo("100.00"))
                .body("taxRates.name", equalTo(List.of("VAT 19%", "EU reverse charge")))
                .body("taxRates.percent", equalTo(List.of("19", "0")))
                .body("taxRates[1].reverseChargeNote", equalTo("Reverse charge: the recipient accounts for the VAT"))
                .body("stripeCustomerId", equalTo("cus_acctwrite1"));

        // Read back as finance, from billing's own reader.
        Admin.as(TestRealm.person("finance", null)).when().get(account(t.client())).then().statusCode(200)
                .body("taxRates.percent", equalTo(List.of("19", "0")))
                .body("timeZone", equalTo("Europe/Lisbon"));
        admin().when().get("/admin/v1/clients/" + t.client()).then().body("timeZone", equalTo("Europe/Lisbon"));
    }

    @Test
    void refusesTermsOutOfRangeAsProblems() {
        Tenant t = tenant("acct-refuse", "EUR");

        admin().body(accountBody("EUR", "Europe/Berlin", 29, List.of())).when().put(account(t.client()))
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:tollbooth:problem:invalid-request"))
                .body("detail", equalTo("billingDay: must be less than or equal to 28"));
        admin().body(accountBody("EUR", "Europe/Berlin", 1, List.of(Map.of("name", "Reverse", "percent", "5",
                        "reverseChargeNote", "Reverse charge"))))
                .when().put(account(t.client())).then().statusCode(400)
                .body("detail", equalTo("tax rate Reverse is a reverse charge and must be 0 percent"))
                .body("code", equalTo("INVALID_BILLING_TERMS"));
        admin().body(accountBody("USD", "Europe/Berlin", 1, List.of())).when().put(account(t.client()))
                .then().statusCode(400)
                .body("detail", equalTo("currency: must equal the price plan's currency EUR; the plan Standard "
                        + "prices this client"));
        admin().when().get(account(t.client())).then().body("billingDay", equalTo(1)).body("currency", equalTo("EUR"));
    }

    @Test
    void setsAndRemovesTheBudgetInTheClientsCurrency() throws SQLException {
        Tenant t = tenant("acct-budget", "JPY");

        admin().body(Map.of("amount", "50000")).when().put(budget(t.client())).then().statusCode(200)
                .body("amount", equalTo("50000")).body("currency", equalTo("JPY"));
        admin().body(Map.of("amount", "50000.5")).when().put(budget(t.client())).then().statusCode(400)
                .body("detail", equalTo("amount: must be a non-negative amount with at most 0 decimals in JPY"));
        admin().body(Map.of("amount", "-1")).when().put(budget(t.client())).then().statusCode(400)
                .body("detail", equalTo("amount: must be a non-negative decimal string such as \"2.50\""));
        admin().when().get(budget(t.client())).then().body("amount", equalTo("50000"));

        Map<String, Object> none = new HashMap<>();
        none.put("amount", null);
        admin().body(none).when().put(budget(t.client())).then().statusCode(200)
                .body("amount", nullValue()).body("currency", equalTo("JPY"));
    }

    @Test
    void showsThePlanAndTheMarkupsBesideTheAccount() throws SQLException {
        Tenant t = tenant("acct-pricing", "EUR");
        sql("INSERT INTO client_markup (id, client_id, markup_percent, effective_from, created_by) "
                + "VALUES (gen_random_uuid(), ?, 20, ?, 'test')", UUID.fromString(t.client()),
                java.sql.Timestamp.from(Instant.parse("2026-11-01T00:00:00Z")));
        sql("INSERT INTO client_markup (id, client_id, markup_percent, effective_from, created_by) "
                + "VALUES (gen_random_uuid(), ?, 35, ?, 'test')", UUID.fromString(t.client()),
                java.sql.Timestamp.from(Instant.parse("2027-01-01T00:00:00Z")));

        admin().when().get("/admin/v1/clients/" + t.client() + "/pricing").then().statusCode(200)
                .body("plan.id", equalTo(t.plan()))
                .body("plan.name", equalTo("Standard"))
                .body("plan.currency", equalTo("EUR"))
                .body("plan.prices.size()", equalTo(2))
                .body("prices.size()", equalTo(0))
                .body("markups.percent", equalTo(List.of("20", "35")))
                .body("markups.effectiveFrom", equalTo(List.of("2026-11-01T00:00:00Z", "2027-01-01T00:00:00Z")));
    }

    @Test
    void refusesToMoveTheZoneOfAClientThatHasInvoices() {
        BillingWorld world = BillingWorld.create("acct-locked", bootstrapServers);
        admin().body(Map.of("operatorId", world.operatorId(), "period", "2026-12", "closeEarly", true))
                .when().post("/admin/v1/invoice-runs").then().statusCode(200);

        admin().body(accountBody("USD", "America/New_York", 1, List.of())).when().put(account(world.acmeId()))
                .then().statusCode(409)
                .body("type", equalTo("urn:tollbooth:problem:billing-refused"))
                .body("detail", equalTo("client acct-locked-acme already has invoices in USD for periods in UTC; "
                        + "its currency and time zone can no longer change"));
        admin().body(accountBody("USD", "UTC", 5, List.of())).when().put(account(world.acmeId()))
                .then().statusCode(409).body("code", equalTo("BILLING_DAY_LOCKED"));
        admin().when().get(account(world.acmeId())).then().body("timeZone", equalTo("UTC"))
                .body("billingDay", equalTo(1));
    }

    @Test
    void onlyOperatorsChangeAndClientsPeopleSeeNone() {
        Tenant t = tenant("acct-roles", "EUR");
        String finance = TestRealm.person("finance", null);
        String clientAdmin = TestRealm.person("client-admin", t.client());

        Admin.as(finance).body(Map.of("amount", "10")).when().put(budget(t.client())).then().statusCode(403);
        Admin.as(finance).when().get(budget(t.client())).then().statusCode(200);
        Admin.as(clientAdmin).when().get(account(t.client())).then().statusCode(403);
        Admin.as(clientAdmin).when().get("/admin/v1/clients?operatorId=" + t.operator()).then().statusCode(403);
        admin().when().get(account(UUID.randomUUID().toString())).then().statusCode(404);
    }

    record Tenant(String operator, String plan, String client) {
    }

    private static Tenant tenant(String slug, String currency) {
        String operator = create("/admin/v1/operators", Map.of("slug", slug + "-" + System.nanoTime(),
                "name", slug, "currency", currency));
        create("/admin/v1/models", Map.of("operatorId", operator, "name", "acct-model"));
        String plan = create("/admin/v1/price-plans", Map.of("operatorId", operator, "name", "Standard",
                "currency", currency, "prices", List.of(
                        price("input", "2.50"), price("output", "10.00"))));
        String client = create("/admin/v1/clients", Map.of("operatorId", operator, "slug", slug + "-c",
                "name", slug, "currency", currency, "timeZone", "Europe/Berlin", "pricePlanId", plan));
        return new Tenant(operator, plan, client);
    }

    private static Map<String, Object> price(String kind, String perMillion) {
        return Map.of("model", "acct-model", "tokenKind", kind, "pricePerMillion", perMillion,
                "effectiveFrom", "2026-01-01T00:00:00Z");
    }

    private static Map<String, Object> accountBody(String currency, String zone, int billingDay,
            List<Map<String, String>> taxRates) {
        Map<String, Object> body = new HashMap<>();
        body.put("currency", currency);
        body.put("timeZone", zone);
        body.put("billingDay", billingDay);
        body.put("paymentTermsDays", 14);
        body.put("locale", "de-DE");
        body.put("contactName", "Accounts Payable");
        body.put("contactEmail", "ap@acme.example");
        body.put("billingAddress", "Hauptstraße 1\n10115 Berlin");
        body.put("purchaseOrder", "PO-4711");
        body.put("minimumCommitment", "100.00");
        body.put("taxRates", taxRates);
        return body;
    }

    private static String account(String clientId) {
        return "/admin/v1/clients/" + clientId + "/billing-account";
    }

    private static String budget(String clientId) {
        return "/admin/v1/clients/" + clientId + "/budget";
    }

    private void sql(String statement, Object... parameters) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement prepared = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                prepared.setObject(i + 1, parameters[i]);
            }
            prepared.executeUpdate();
        }
    }
}

package io.tollbooth.portal.admin;

import static io.tollbooth.portal.admin.Admin.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestClock;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The control plane's whole money path through its admin API: an operator sets up a price plan, a client and a
 * key; a real usage event on the real Kafka topic is metered; the month is closed into an invoice whose lines,
 * total and PDF are exact; closing again changes nothing.
 *
 * <p>The request uses 12,200 input tokens at 2.50 and 1,450 output tokens at 10.00 per million: rated 0.0305 and
 * 0.0145 (0.045 in all, at full precision). Each invoice line is rounded once, HALF_UP, to 0.03 and 0.01, so the
 * total is 0.04 USD; rounding the sum instead would give 0.05.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class AdminBillingStoryTest {

    private static final String MODEL = "llama-3.1-8b";
    private static final String REQUEST_ID = "req-story-0001";
    private static final Instant REQUEST_TIME = Instant.parse("2026-12-10T09:30:00Z");
    private static final String EFFECTIVE_FROM = "2026-01-01T00:00:00Z";
    private static final String NOW = TestClock.NOW.toString();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void billsAMeteredRequestOnceFromSetUpToInvoicePdf() throws Exception {
        String operatorId = createOperator();
        createModel(operatorId);
        String planId = createPricePlan(operatorId);
        String clientId = createClient(operatorId, planId);
        JsonPath key = createKey(clientId);

        publishUsage(clientId, key.getString("id"), key.getString("prefix"));
        awaitMetered(clientId);
        refusesToCloseTheMonthBeforeItEnds(operatorId, clientId);

        String invoiceId = closeMonthEarly(operatorId, clientId);
        readsTheInvoice(invoiceId, clientId);
        rendersThePdf(invoiceId);
        exportsTheUsage(operatorId);
        closingAgainCreatesNothing(operatorId, invoiceId, clientId);
        revokesAKey(clientId);
    }

    private String createOperator() {
        return admin().body(Map.of("slug", "northwind-ai", "name", "Northwind AI", "address", "1 Harbour Road\nBristol",
                        "taxId", "GB123456789", "currency", "USD"))
                .when().post("/admin/v1/operators")
                .then().statusCode(201)
                .body("slug", equalTo("northwind-ai"))
                .body("name", equalTo("Northwind AI"))
                .body("address", equalTo("1 Harbour Road\nBristol"))
                .body("taxId", equalTo("GB123456789"))
                .body("currency", equalTo("USD"))
                .body("createdAt", equalTo(NOW))
                .extract().path("id");
    }

    private void createModel(String operatorId) {
        String modelId = admin().body(Map.of("operatorId", operatorId, "name", MODEL))
                .when().post("/admin/v1/models")
                .then().statusCode(201)
                .body("operatorId", equalTo(operatorId))
                .body("name", equalTo(MODEL))
                .extract().path("id");

        admin().when().get("/admin/v1/models/" + modelId).then().statusCode(200).body("name", equalTo(MODEL));
    }

    private String createPricePlan(String operatorId) {
        List<Map<String, String>> prices = List.of(
                price("output", "10.00"),
                price("input", "2.50"),
                price("cached_input", "0.25"));
        JsonPath plan = admin().body(Map.of("operatorId", operatorId, "name", "Standard", "currency", "USD",
                        "prices", prices))
                .when().post("/admin/v1/price-plans")
                .then().statusCode(201)
                .body("name", equalTo("Standard"))
                .body("currency", equalTo("USD"))
                .body("prices", hasSize(3))
                .extract().jsonPath();

        // Listed by model, then token kind in invoice order; amounts exactly as entered, as strings.
        assertThat(plan.getList("prices.tokenKind")).containsExactly("input", "cached_input", "output");
        assertThat(plan.getList("prices.pricePerMillion")).containsExactly("2.50", "0.25", "10.00");
        assertThat(plan.getList("prices.model")).containsOnly(MODEL);
        assertThat(plan.getList("prices.currency")).containsOnly("USD");
        assertThat(plan.getList("prices.effectiveFrom")).containsOnly(EFFECTIVE_FROM);
        return plan.getString("id");
    }

    private static Map<String, String> price(String tokenKind, String pricePerMillion) {
        return Map.of("model", MODEL, "tokenKind", tokenKind, "pricePerMillion", pricePerMillion,
                "effectiveFrom", EFFECTIVE_FROM);
    }

    private String createClient(String operatorId, String planId) {
        return admin().body(Map.of("operatorId", operatorId, "slug", "contoso", "name", "Contoso GmbH",
                        "currency", "USD", "timeZone", "Europe/Berlin", "pricePlanId", planId))
                .when().post("/admin/v1/clients")
                .then().statusCode(201)
                .body("slug", equalTo("contoso"))
                .body("timeZone", equalTo("Europe/Berlin"))
                .body("pricePlanId", equalTo(planId))
                .extract().path("id");
    }

    private JsonPath createKey(String clientId) throws Exception {
        JsonPath created = admin().body(Map.of("name", "production"))
                .when().post("/admin/v1/clients/" + clientId + "/api-keys")
                .then().statusCode(201)
                .body("name", equalTo("production"))
                .extract().jsonPath();
        String key = created.getString("key");
        assertThat(key).matches("tb_[A-Za-z0-9_-]{43}");
        assertThat(created.getString("prefix")).isEqualTo(key.substring(0, 11));

        // The database holds the prefix and the SHA-256 of the key, and nowhere the key itself.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT prefix, key_hash, row_to_json(k)::text FROM api_key k WHERE id = ?::uuid")) {
            query.setString(1, created.getString("id"));
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo(key.substring(0, 11));
                assertThat(row.getBytes(2)).isEqualTo(
                        MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
                assertThat(row.getString(3)).doesNotContain(key.substring(11));
            }
        }

        // Listing shows the key's prefix, never the key.
        admin().when().get("/admin/v1/clients/" + clientId + "/api-keys")
                .then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].prefix", equalTo(key.substring(0, 11)))
                .body("[0].createdAt", equalTo(NOW))
                .body("[0].revokedAt", nullValue())
                .body("[0].key", nullValue());
        return created;
    }

    private void publishUsage(String clientId, String apiKeyId, String keyPrefix) throws Exception {
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, REQUEST_ID, clientId, apiKeyId, keyPrefix,
                "chat.completions", MODEL, MODEL, "simulator", false, UsageData.Status.OK,
                UsageData.UsageSource.REPORTED, TokenCounts.of(12_200, 1_450), 840, 95L);
        UsageEvent event = UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest(REQUEST_ID),
                REQUEST_TIME, data);

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(UsageEvent.TOPIC, clientId, UsageEventCodec.encode(event))).get();
        }
    }

    private void awaitMetered(String clientId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                admin().when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-12")
                        .then().statusCode(200)
                        .body("requests", equalTo(1)));

        admin().when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-12")
                .then().statusCode(200)
                .body("period", equalTo("2026-12"))
                .body("timeZone", equalTo("Europe/Berlin"))
                .body("from", equalTo("2026-11-30T23:00:00Z"))
                .body("to", equalTo("2026-12-31T23:00:00Z"))
                .body("events", equalTo(Map.of("RATED", 1, "UNPRICED", 0, "REJECTED", 0)))
                .body("tokens", equalTo(Map.of("input", 12_200, "cachedInput", 0, "cacheWrite", 0,
                        "output", 1_450, "reasoning", 0)))
                .body("ratedAmount", equalTo("0.045"))
                .body("currency", equalTo("USD"));

        // The month before holds nothing.
        admin().when().get("/admin/v1/clients/" + clientId + "/usage?period=2026-11")
                .then().statusCode(200)
                .body("requests", equalTo(0))
                .body("ratedAmount", equalTo("0"));
    }

    private void refusesToCloseTheMonthBeforeItEnds(String operatorId, String clientId) {
        admin().body(Map.of("operatorId", operatorId, "period", "2026-12", "closeEarly", false))
                .when().post("/admin/v1/invoice-runs")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tollbooth:problem:billing-refused"))
                .body("title", equalTo("Billing refused"))
                .body("detail", equalTo("1 of 1 clients refused: period 2026-12 Europe/Berlin of client contoso"
                        + " ends at 2026-12-31T23:00:00Z and cannot be closed before then unless closing early is"
                        + " asked for explicitly"))
                .body("refusals", hasSize(1))
                .body("refusals[0].clientId", equalTo(clientId))
                .body("refusals[0].code", equalTo("PERIOD_NOT_ENDED"))
                .body("invoices", hasSize(0));
    }

    private String closeMonthEarly(String operatorId, String clientId) {
        return admin().body(Map.of("operatorId", operatorId, "period", "2026-12", "closeEarly", true))
                .when().post("/admin/v1/invoice-runs")
                .then().statusCode(200)
                .body("operatorId", equalTo(operatorId))
                .body("period", equalTo("2026-12"))
                .body("invoices", hasSize(1))
                .body("invoices[0].clientId", equalTo(clientId))
                .body("invoices[0].clientName", equalTo("Contoso GmbH"))
                .body("invoices[0].number", equalTo("NORTHWIND-AI-2026-000001"))
                .body("invoices[0].status", equalTo("FINALIZED"))
                .body("invoices[0].currency", equalTo("USD"))
                .body("invoices[0].total", equalTo("0.04"))
                .body("invoices[0].created", equalTo(true))
                .extract().path("invoices[0].id");
    }

    private void readsTheInvoice(String invoiceId, String clientId) {
        admin().when().get("/admin/v1/invoices/" + invoiceId)
                .then().statusCode(200)
                .body("id", equalTo(invoiceId))
                .body("number", equalTo("NORTHWIND-AI-2026-000001"))
                .body("status", equalTo("FINALIZED"))
                .body("issuer.name", equalTo("Northwind AI"))
                .body("issuer.addressLines", equalTo(List.of("1 Harbour Road", "Bristol")))
                .body("issuer.taxId", equalTo("GB123456789"))
                .body("billTo.clientId", equalTo(clientId))
                .body("billTo.name", equalTo("Contoso GmbH"))
                .body("period.start", equalTo("2026-12-01"))
                .body("period.end", equalTo("2026-12-31"))
                .body("period.timeZone", equalTo("Europe/Berlin"))
                .body("issueDate", equalTo("2026-12-15"))
                .body("currency", equalTo("USD"))
                .body("lines", equalTo(List.of(
                        line(1, "input", "input tokens", 12_200, "2.50", "0.03"),
                        line(2, "output", "output tokens", 1_450, "10.00", "0.01"))))
                .body("subtotal", equalTo("0.04"))
                .body("total", equalTo("0.04"));
    }

    private static Map<String, Object> line(int lineNo, String unit, String counts, int quantity, String unitPrice,
            String amount) {
        return Map.of("lineNo", lineNo, "type", "usage", "description", MODEL + " " + counts, "model", MODEL,
                "unit", unit, "quantity", quantity, "unitPrice", unitPrice, "pricedPer", "1M tokens", "amount", amount);
    }

    private void rendersThePdf(String invoiceId) throws Exception {
        byte[] pdf = admin().when().get("/admin/v1/invoices/" + invoiceId + "/pdf")
                .then().statusCode(200)
                .contentType("application/pdf")
                .header("Content-Disposition", "attachment; filename=\"NORTHWIND-AI-2026-000001.pdf\"")
                .extract().asByteArray();

        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("NORTHWIND-AI-2026-000001", "Contoso GmbH", "Total due $0.04");
        }
    }

    private void exportsTheUsage(String operatorId) {
        String csv = admin().when().get("/admin/v1/exports/usage.csv?operatorId=" + operatorId + "&period=2026-12")
                .then().statusCode(200)
                .contentType("text/csv")
                .header("Content-Disposition", "attachment; filename=\"usage-northwind-ai-2026-12.csv\"")
                .extract().asString();

        assertThat(csv.lines()).containsExactly(
                "event_time,client,request_id,model,token_kind,quantity,unit_price_per_million,amount,currency",
                "2026-12-10T10:30:00+01:00,contoso,req-story-0001,llama-3.1-8b,input,12200,2.5,0.0305,USD",
                "2026-12-10T10:30:00+01:00,contoso,req-story-0001,llama-3.1-8b,output,1450,10,0.0145,USD");
    }

    private void revokesAKey(String clientId) {
        String keyId = Admin.create("/admin/v1/clients/" + clientId + "/api-keys", Map.of("name", "staging"));

        admin().when().post("/admin/v1/api-keys/" + keyId + "/revoke")
                .then().statusCode(200)
                .body("id", equalTo(keyId))
                .body("revokedAt", equalTo(NOW));
        admin().when().get("/admin/v1/clients/" + clientId + "/api-keys")
                .then().statusCode(200)
                .body("name", equalTo(List.of("production", "staging")))
                .body("[0].revokedAt", nullValue())
                .body("[1].revokedAt", equalTo(NOW));
    }

    private void closingAgainCreatesNothing(String operatorId, String invoiceId, String clientId) throws Exception {
        admin().body(Map.of("operatorId", operatorId, "period", "2026-12", "closeEarly", true))
                .when().post("/admin/v1/invoice-runs")
                .then().statusCode(200)
                .body("invoices", hasSize(1))
                .body("invoices[0].id", equalTo(invoiceId))
                .body("invoices[0].number", equalTo("NORTHWIND-AI-2026-000001"))
                .body("invoices[0].total", equalTo("0.04"))
                .body("invoices[0].created", equalTo(false));

        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM invoice WHERE client_id = ?")) {
            query.setObject(1, UUID.fromString(clientId));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertThat(row.getLong(1)).isEqualTo(1);
            }
        }
    }
}

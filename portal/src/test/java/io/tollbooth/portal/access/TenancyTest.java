package io.tollbooth.portal.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import io.tollbooth.portal.UsageEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Which client's data each role reaches, with real Keycloak tokens against every route of the admin API and the
 * client API (field case 24: one tenant's key must never read another tenant's usage).
 *
 * <p>Two clients of one operator, Acme and Beta, each with a key, one metered request and an invoice for December
 * 2026. Acme used 1,000,000 input tokens at 2.50 per million (2.50 USD); Beta 200,000 input and 100,000 output
 * tokens (0.50 + 1.00 = 1.50 USD). A client's person who names Acme's records gets 404 on every route their role
 * may use, exactly as for records that do not exist; routes their role may never use answer 403 whichever client
 * they name, so neither answer tells them anything about Acme.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class TenancyTest {

    private static final String MODEL = "tenancy-model";
    private static final String PERIOD = "2026-12";

    private static World world;

    /** The records of the two clients, made once for the whole class through the operator's API. */
    record World(String operatorId, String planId, String acme, String beta, String acmeKey, String betaKey,
            String acmeInvoice, String betaInvoice, String acmePerson) {
    }

    @Test
    void clientAdminGetsNotFoundForAnotherClientOnEveryRoute() {
        World w = world();
        String betaAdmin = TestRealm.person(Roles.CLIENT_ADMIN, w.beta());

        assertStatuses(betaAdmin, Roles.CLIENT_ADMIN, foreignRoutes(w));
        assertStatuses(betaAdmin, Roles.CLIENT_ADMIN, staffRoutes(w));
        assertStatuses(betaAdmin, Roles.CLIENT_ADMIN, ownRoutes(w));

        // Acme's person is not Beta's, even asked for through Beta's own path, and removing them there fails.
        as(betaAdmin).when().get(people(w.beta()) + "/" + w.acmePerson()).then().statusCode(404);
        as(betaAdmin).when().delete(people(w.beta()) + "/" + w.acmePerson()).then().statusCode(404);
        assertThat(TestRealm.user(w.acmePerson()).getBoolean("enabled")).isTrue();
    }

    @Test
    void clientViewerGetsNotFoundForAnotherClientAndMayChangeNothing() {
        World w = world();
        String betaViewer = TestRealm.person(Roles.CLIENT_VIEWER, w.beta());

        assertStatuses(betaViewer, Roles.CLIENT_VIEWER, foreignRoutes(w));
        assertStatuses(betaViewer, Roles.CLIENT_VIEWER, staffRoutes(w));
        assertStatuses(betaViewer, Roles.CLIENT_VIEWER, ownRoutes(w));
    }

    @Test
    void financeReadsEveryClientAndChangesNothing() {
        World w = world();
        String finance = TestRealm.person(Roles.FINANCE, null);

        assertStatuses(finance, Roles.FINANCE, foreignRoutes(w));
        assertStatuses(finance, Roles.FINANCE, ownRoutes(w));
        assertStatuses(finance, Roles.FINANCE, staffRoutes(w));
        // The client API is for a client's people: finance belongs to no client.
        as(finance).when().get("/api/v1/daily-activity").then().statusCode(403);
    }

    @Test
    void operatorReachesEveryClient() {
        World w = world();
        String operator = TestRealm.operatorToken();

        assertStatuses(operator, Roles.OPERATOR, foreignRoutes(w));
        assertStatuses(operator, Roles.OPERATOR, ownRoutes(w));
        assertStatuses(operator, Roles.OPERATOR, staffRoutes(w));
    }

    /** Field case 24: Beta's people ask for Acme's usage by parameter, unfiltered, and as CSV; they get Beta's. */
    @Test
    void clientApiAnswersOnlyForTheCallersOwnClientWhateverTheParameters() {
        World w = world();
        String betaViewer = TestRealm.person(Roles.CLIENT_VIEWER, w.beta());

        for (Map<String, String> query : List.of(Map.of("tenant", "acme"), Map.of("clientId", w.acme()),
                Map.<String, String>of())) {
            as(betaViewer).queryParams(query).queryParam("from", "2026-12-01").queryParam("to", "2026-12-15")
                    .when().get("/api/v1/daily-activity")
                    .then().statusCode(200)
                    .body("clientId", equalTo(w.beta()))
                    .body("total.requests", equalTo(1))
                    .body("total.tokens.input", equalTo(200_000))
                    .body("total.tokens.output", equalTo(100_000))
                    .body("total.ratedAmount", equalTo("1.5"))
                    .body("total.spend", equalTo("1.50"));
        }

        String csv = as(betaViewer).queryParam("period", PERIOD).queryParam("tenant", "acme")
                .queryParam("clientId", w.acme())
                .when().get("/api/v1/usage.csv")
                .then().statusCode(200).extract().asString();
        List<String> rows = csv.lines().skip(1).toList();
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.split(",")[1]).isEqualTo("beta"));
        assertThat(csv).doesNotContain("acme");

        // The operator's export, which lists every client, stays out of a client's reach.
        as(betaViewer).queryParam("operatorId", w.operatorId()).queryParam("period", PERIOD)
                .when().get("/admin/v1/exports/usage.csv").then().statusCode(403);
    }

    @Test
    void listsOnlyTheCallersOwnClientsInvoices() {
        World w = world();
        String betaViewer = TestRealm.person(Roles.CLIENT_VIEWER, w.beta());

        as(betaViewer).when().get("/admin/v1/clients/" + w.beta() + "/invoices")
                .then().statusCode(200)
                .body("id", equalTo(List.of(w.betaInvoice())))
                .body("[0].total", equalTo("1.50"));
    }

    @Test
    void aStaffRoleGivenToAClientsPersonOpensNothingBeyondTheirClient() {
        World w = world();
        String misconfigured = TestRealm.person(Roles.OPERATOR, w.beta());

        as(misconfigured).when().get("/admin/v1/clients/" + w.acme()).then().statusCode(403);
        as(misconfigured).when().get("/admin/v1/operators/" + w.operatorId()).then().statusCode(403);
        as(misconfigured).when().get("/admin/v1/invoices/" + w.acmeInvoice()).then().statusCode(403);
    }

    @Test
    void aTokenNamingAClientThatDoesNotExistSeesNothing() {
        World w = world();
        String stray = TestRealm.person(Roles.CLIENT_ADMIN, "0b5c1e52-7d41-4bb4-9f6a-1c2d3e4f5a6b");

        as(stray).when().get("/admin/v1/clients/" + w.acme()).then().statusCode(404);
        as(stray).when().get("/admin/v1/invoices/" + w.betaInvoice()).then().statusCode(404);
        as(stray).when().get("/api/v1/daily-activity").then().statusCode(404);
    }

    @Test
    void anAccountWithoutAnyTollboothRoleIsRefusedEverywhere() {
        World w = world();
        String nobody = TestRealm.person("offline_access", w.beta());

        assertStatuses(nobody, "none", ownRoutes(w));
        as(nobody).when().get("/api/v1/daily-activity").then().statusCode(403);
    }

    /**
     * A route and, per role, the status it answers; 2 stands for any 2xx. Paths are complete, with the records of
     * the client they concern.
     */
    record Route(String method, String path, Map<String, Object> body, Map<String, Integer> expected) {

        Route(String method, String path, Map<String, Object> body, int operator, int finance, int clientAdmin,
                int clientViewer) {
            this(method, path, body, Map.of(Roles.OPERATOR, operator, Roles.FINANCE, finance,
                    Roles.CLIENT_ADMIN, clientAdmin, Roles.CLIENT_VIEWER, clientViewer, "none", 403));
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final int OK = 2;

    /** Every route that names Acme's records, as Beta's people would try them. */
    private static List<Route> foreignRoutes(World w) {
        return clientRoutes(w.acme(), w.acmeKey(), w.acmeInvoice(), w.acmePerson(), 404);
    }

    /** The same routes for Beta's own records. */
    private static List<Route> ownRoutes(World w) {
        return clientRoutes(w.beta(), w.betaKey(), w.betaInvoice(), null, OK);
    }

    /**
     * The routes of one client's records. {@code visible} is what a client's person answers when the records are
     * of another client (404) or their own (2xx).
     */
    private static List<Route> clientRoutes(String client, String key, String invoice, String person, int visible) {
        String clients = "/admin/v1/clients/" + client;
        List<Route> routes = new ArrayList<>(List.of(
                new Route("GET", clients, null, OK, OK, visible, visible),
                new Route("GET", clients + "/usage?period=" + PERIOD, null, OK, OK, visible, visible),
                new Route("GET", clients + "/daily-activity?from=2026-12-01&to=2026-12-15", null, OK, OK, visible,
                        visible),
                new Route("GET", clients + "/api-keys", null, OK, 403, visible, visible),
                new Route("POST", clients + "/api-keys", Map.of("name", "tenancy-probe"), OK, 403, visible, 403),
                new Route("GET", clients + "/invoices", null, OK, OK, visible, visible),
                new Route("GET", "/admin/v1/invoices/" + invoice, null, OK, OK, visible, visible),
                new Route("GET", "/admin/v1/invoices/" + invoice + "/pdf", null, OK, OK, visible, visible),
                new Route("GET", people(client), null, OK, 403, visible, 403)));
        if (person != null) {
            routes.add(new Route("GET", people(client) + "/" + person, null, OK, 403, visible, 403));
        }
        // Changes last: an allowed revoke leaves the key revoked, which later reads do not mind.
        routes.add(new Route("POST", "/admin/v1/api-keys/" + key + "/revoke", null, OK, 403, visible, 403));
        return routes;
    }

    /** Routes about the operator's business rather than one client's records. */
    private static List<Route> staffRoutes(World w) {
        return List.of(
                new Route("GET", "/admin/v1/operators/" + w.operatorId(), null, OK, OK, 403, 403),
                new Route("GET", "/admin/v1/price-plans/" + w.planId(), null, OK, OK, 403, 403),
                new Route("GET", "/admin/v1/operators/" + w.operatorId() + "/cost-prices", null, OK, OK, 403, 403),
                new Route("GET", "/admin/v1/operators/" + w.operatorId() + "/self-hosted-costs", null, OK, OK, 403,
                        403),
                new Route("GET", "/admin/v1/operators/" + w.operatorId() + "/margins?period=" + PERIOD, null, OK, OK,
                        403, 403),
                new Route("GET", "/admin/v1/clients/" + w.acme() + "/pricing", null, OK, OK, 403, 403),
                new Route("GET", "/admin/v1/clients/" + w.acme() + "/margins?period=" + PERIOD, null, OK, OK, 403,
                        403),
                new Route("GET", "/admin/v1/clients?operatorId=" + w.operatorId(), null, OK, OK, 403, 403),
                new Route("GET", "/admin/v1/clients/" + w.acme() + "/billing-account", null, OK, OK, 403, 403),
                new Route("GET", "/admin/v1/clients/" + w.acme() + "/budget", null, OK, OK, 403, 403),
                new Route("GET", "/admin/v1/clients/" + w.acme() + "/plan-changes", null, OK, OK, 403, 403),
                new Route("PUT", "/admin/v1/clients/" + w.acme() + "/budget", Map.of("amount", "500.00"), OK, 403,
                        403, 403),
                new Route("GET", "/admin/v1/exports/usage.csv?operatorId=" + w.operatorId() + "&period=" + PERIOD,
                        null, OK, OK, 403, 403),
                new Route("GET", "/admin/v1/exports/invoices.csv?operatorId=" + w.operatorId() + "&period=" + PERIOD
                        + "&clientId=" + w.acme(), null, OK, OK, 403, 403),
                new Route("GET", "/admin/v1/invoices?operatorId=" + w.operatorId() + "&period=" + PERIOD, null, OK,
                        OK, 403, 403),
                new Route("GET", "/admin/v1/reconciliation?operatorId=" + w.operatorId() + "&period=" + PERIOD, null,
                        OK, OK, 403, 403),
                new Route("POST", "/admin/v1/invoices/" + w.acmeInvoice() + "/finalize", null, OK, 403, 403, 403),
                new Route("POST", "/admin/v1/operators", Map.of("slug", "probe-" + System.nanoTime(),
                        "name", "Probe", "currency", "USD"), OK, 403, 403, 403),
                new Route("POST", "/admin/v1/clients", Map.of("operatorId", w.operatorId(),
                        "slug", "probe-" + System.nanoTime(), "name", "Probe", "currency", "USD",
                        "timeZone", "UTC", "pricePlanId", w.planId()), OK, 403, 403, 403),
                new Route("POST", "/admin/v1/invoice-runs", Map.of("operatorId", w.operatorId(), "period", PERIOD,
                        "closeEarly", true), OK, 403, 403, 403));
    }

    /** Sends every route with the token and checks the status the route names for {@code role}. */
    private static void assertStatuses(String token, String role, List<Route> routes) {
        SoftAssertions softly = new SoftAssertions();
        for (Route route : routes) {
            int expected = route.expected().get(role);
            int status = send(token, route).statusCode();
            if (expected == OK) {
                softly.assertThat(status).as(route + " as " + role).isBetween(200, 299);
            } else {
                softly.assertThat(status).as(route + " as " + role).isEqualTo(expected);
            }
        }
        softly.assertAll();
    }

    private static Response send(String token, Route route) {
        RequestSpecification request = as(token);
        if (route.body() != null) {
            request = request.body(route.body());
        }
        return request.request(route.method(), route.path());
    }

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static String people(String client) {
        return "/admin/v1/clients/" + client + "/people";
    }

    private static synchronized World world() {
        if (world == null) {
            world = build();
        }
        return world;
    }

    private static World build() {
        String operatorId = create("/admin/v1/operators", Map.of("slug", "tenancy-op", "name", "Tenancy Op",
                "currency", "USD"));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", MODEL));
        String planId = create("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", "Standard",
                "currency", "USD", "prices", List.of(
                        Map.of("model", MODEL, "tokenKind", "input", "pricePerMillion", "2.50",
                                "effectiveFrom", "2026-01-01T00:00:00Z"),
                        Map.of("model", MODEL, "tokenKind", "output", "pricePerMillion", "10.00",
                                "effectiveFrom", "2026-01-01T00:00:00Z"))));
        String acme = client(operatorId, planId, "acme");
        String beta = client(operatorId, planId, "beta");
        Map<String, String> acmeKey = key(acme);
        Map<String, String> betaKey = key(beta);

        UsageEvents.publish(bootstrapServers(),
                new UsageEvents.Request(acme, acmeKey.get("id"), acmeKey.get("prefix"), "req-tenancy-acme", MODEL,
                        Instant.parse("2026-12-03T12:00:00Z"), 1_000_000, 0),
                new UsageEvents.Request(beta, betaKey.get("id"), betaKey.get("prefix"), "req-tenancy-beta", MODEL,
                        Instant.parse("2026-12-04T12:00:00Z"), 200_000, 100_000));
        for (String client : List.of(acme, beta)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> operator()
                    .when().get("/admin/v1/clients/" + client + "/usage?period=" + PERIOD)
                    .then().statusCode(200).body("requests", equalTo(1)));
        }

        List<Map<String, Object>> invoices = operator().body(Map.of("operatorId", operatorId, "period", PERIOD,
                        "closeEarly", true))
                .when().post("/admin/v1/invoice-runs")
                .then().statusCode(200).extract().path("invoices");
        String acmeInvoice = invoiceOf(invoices, acme, "2.50");
        String betaInvoice = invoiceOf(invoices, beta, "1.50");

        String acmePerson = create(people(acme), Map.of("email", "ada-" + System.nanoTime() + "@acme.example",
                "firstName", "Ada", "lastName", "Acme", "role", Roles.CLIENT_ADMIN));
        return new World(operatorId, planId, acme, beta, acmeKey.get("id"), betaKey.get("id"), acmeInvoice,
                betaInvoice, acmePerson);
    }

    private static String client(String operatorId, String planId, String slug) {
        return create("/admin/v1/clients", Map.of("operatorId", operatorId, "slug", slug, "name", slug,
                "currency", "USD", "timeZone", "UTC", "pricePlanId", planId));
    }

    private static Map<String, String> key(String clientId) {
        var created = operator().body(Map.of("name", "main"))
                .when().post("/admin/v1/clients/" + clientId + "/api-keys")
                .then().statusCode(201).extract().jsonPath();
        return Map.of("id", created.getString("id"), "prefix", created.getString("prefix"));
    }

    private static String invoiceOf(List<Map<String, Object>> invoices, String clientId, String total) {
        Map<String, Object> invoice = invoices.stream().filter(i -> clientId.equals(i.get("clientId")))
                .findFirst().orElseThrow();
        assertThat(invoice.get("total")).isEqualTo(total);
        return (String) invoice.get("id");
    }

    private static String create(String path, Map<String, ?> body) {
        return operator().body(body).when().post(path).then().statusCode(201).extract().path("id");
    }

    private static RequestSpecification operator() {
        return as(TestRealm.operatorToken());
    }

    private static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}

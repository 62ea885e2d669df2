package io.tollbooth.portal.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.htmlunit.CookieManager;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.Cookie;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;

/**
 * A client's admin signs in through the real Keycloak login page (authorization code flow) and sees their
 * client's dashboard, keys and invoices, every amount formatted for them. The client used 1,000,000 input tokens
 * at 2.50 per million on 2026-12-10: $2.50, invoiced for December.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class ClientPagesTest {

    private static final String MODEL = InvoicedClient.MODEL;

    @TestHTTPResource("/portal")
    URL portal;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource database;

    @Test
    void aClientAdminSignsInAndSeesTheirDashboardKeysAndInvoices() throws Exception {
        InvoicedClient setup = setUp("pages-acme");
        TestRealm.Credentials person = TestRealm.newPerson("client-admin", setup.clientId());

        try (WebClient browser = browser()) {
            HtmlPage login = browser.getPage(portal);
            assertThat(login.getUrl().toString()).startsWith(LocalKeycloakResource.shared().realmUrl());
            HtmlPage dashboard = signIn(login, person);

            assertThat(dashboard.getUrl().getPath()).isEqualTo("/portal");
            assertThat(dashboard.getTitleText()).isEqualTo("Dashboard · pages-acme · Tollbooth");
            assertThat(text(dashboard, "month-spend")).isEqualTo("$2.50");
            assertThat(dashboard.getElementById("days").asNormalizedText())
                    .contains("Dec 10, 2026\t1\t1,000,000\t$2.50", "Dec 9, 2026\t0\t0\t$0.00");
            assertThat(dashboard.getElementById("models").asNormalizedText())
                    .contains(MODEL + "\t1\t1,000,000\t$2.50");
            assertThat(dashboard.getElementById("key-usage").asNormalizedText())
                    .contains("main (" + setup.keyPrefix() + "…)\t1\t1,000,000\t$2.50");
            assertThat(text(dashboard, "budget-summary"))
                    .isEqualTo("No budget is set. At this pace the month ends at $5.17 on Dec 31, 2026.");
            assertThat(dashboard.getElementById("charts").getAttribute("data-source"))
                    .isEqualTo("/portal/dashboard.json");

            HtmlPage keys = browser.getPage(new URL(portal, "/portal/keys"));
            assertThat(keys.getElementById("keys").asNormalizedText())
                    .contains("main\t" + setup.keyPrefix() + "…")
                    .doesNotContain(setup.key().substring(11));

            HtmlPage invoices = browser.getPage(new URL(portal, "/portal/invoices"));
            assertThat(invoices.getElementById("invoices").asNormalizedText())
                    .contains("PAGES-ACME-OP-2026-000001\tDec 1, 2026 – Dec 31, 2026\tfinalized\t$2.50\t$2.50");
            Page pdf = browser.getPage(new URL(portal, "/portal/invoices/" + setup.invoiceId() + "/pdf"));
            assertThat(pdf.getWebResponse().getContentType()).isEqualTo("application/pdf");
            try (PDDocument document = Loader.loadPDF(pdf.getWebResponse().getContentAsStream().readAllBytes())) {
                assertThat(new PDFTextStripper().getText(document))
                        .contains("PAGES-ACME-OP-2026-000001", "Total due $2.50");
            }
        }
    }

    @Test
    void anotherClientsAdminCannotDownloadTheInvoice() throws Exception {
        InvoicedClient acme = setUp("pages-first");
        InvoicedClient other = setUp("pages-other");
        TestRealm.Credentials person = TestRealm.newPerson("client-admin", other.clientId());

        try (WebClient browser = browser()) {
            browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
            signIn(browser.getPage(portal), person);

            Page foreign = browser.getPage(new URL(portal, "/portal/invoices/" + acme.invoiceId() + "/pdf"));
            assertThat(foreign.getWebResponse().getStatusCode()).isEqualTo(404);
            HtmlPage invoices = browser.getPage(new URL(portal, "/portal/invoices"));
            assertThat(invoices.asNormalizedText()).doesNotContain("PAGES-FIRST");

            // A well-formed revocation, with this session's CSRF token, of the first client's key.
            HtmlPage keys = browser.getPage(new URL(portal, "/portal/keys"));
            String csrf = keys.getForms().get(0).getInputByName("csrf-token").getValue();
            WebRequest revoke = new WebRequest(new URL(portal, "/portal/keys/" + acme.keyId() + "/revoke"),
                    HttpMethod.POST);
            revoke.setRequestParameters(List.of(new NameValuePair("csrf-token", csrf)));
            assertThat(browser.getPage(revoke).getWebResponse().getStatusCode()).isEqualTo(404);
        }
        operator().when().get("/admin/v1/clients/" + acme.clientId() + "/api-keys")
                .then().statusCode(200).body("[0].revokedAt", nullValue());
    }

    @Test
    void downloadsTheUsageOfAnyRangeOfDaysAsCsvWithOnlyTheirOwnClientsRows() throws Exception {
        InvoicedClient first = setUp("pages-csv-first");
        InvoicedClient own = setUp("pages-csv-own");
        TestRealm.Credentials person = TestRealm.newPerson("client-viewer", own.clientId());

        try (WebClient browser = browser()) {
            browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
            signIn(browser.getPage(portal), person);
            HtmlPage invoices = browser.getPage(new URL(portal, "/portal/invoices"));
            HtmlForm form = invoices.getHtmlElementById("usage-form");
            assertThat(form.getInputByName("from").getValue()).isEqualTo("2026-12-01");
            assertThat(form.getInputByName("to").getValue()).isEqualTo("2026-12-15");

            Page december = form.getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(december.getWebResponse().getResponseHeaderValue("Content-Disposition"))
                    .isEqualTo("attachment; filename=\"usage-pages-csv-own-2026-12-01-to-2026-12-15.csv\"");
            assertThat(december.getWebResponse().getContentAsString()).isEqualTo("""
                    event_time,client,request_id,model,token_kind,quantity,unit_price_per_million,amount,currency\r
                    2026-12-10T12:00:00Z,pages-csv-own,req-pages-csv-own,pages-model,input,1000000,2.5,2.5,USD\r
                    """);
            assertThat(csv(browser, "from=2026-12-10&to=2026-12-10").getContentAsString()).endsWith(
                    "2026-12-10T12:00:00Z,pages-csv-own,req-pages-csv-own,pages-model,input,1000000,2.5,2.5,USD\r\n");
            assertThat(csv(browser, "from=2026-12-11&to=2027-03-31").getContentAsString()).isEqualTo("event_time,"
                    + "client,request_id,model,token_kind,quantity,unit_price_per_million,amount,currency\r\n");
            assertThat(csv(browser, "from=2026-12-11&to=2026-12-10").getStatusCode()).isEqualTo(400);
            assertThat(csv(browser, "from=yesterday").getStatusCode()).isEqualTo(400);
        }
        assertThat(first.clientId()).isNotEqualTo(own.clientId());
    }

    @Test
    void aClientAdminCreatesAKeyWithExpiryAndLimitsAndRevokesIt() throws Exception {
        InvoicedClient setup = setUp("pages-limits");
        TestRealm.Credentials clientAdmin = TestRealm.newPerson("client-admin", setup.clientId());

        try (WebClient browser = browser()) {
            browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
            signIn(browser.getPage(portal), clientAdmin);
            HtmlForm form = browser.<HtmlPage>getPage(new URL(portal, "/portal/keys"))
                    .getHtmlElementById("new-key-form");
            form.getInputByName("name").type("nightly batch");
            form.getInputByName("expiresOn").setValue("2026-12-31");
            form.getInputByName("requestsPerMinute").setValue("60");
            form.getInputByName("tokensPerMinute").setValue("100000");
            form.getInputByName("monthlyBudget").setValue("50.00");
            HtmlPage created = form.getOneHtmlElementByAttribute("button", "type", "submit").click();
            String prefix = ((HtmlInput) created.getElementById("new-key")).getValue().substring(0, 11);

            String keyId = keyId(setup.clientId(), "nightly batch");
            assertThat(limitOf(keyId)).isEqualTo("60|100000|null|50.00|USD");
            operator().when().get("/admin/v1/clients/" + setup.clientId() + "/api-keys")
                    .then().statusCode(200).body("find { it.name == 'nightly batch' }.expiresAt",
                            equalTo("2027-01-01T00:00:00Z"));
            HtmlPage keys = browser.getPage(new URL(portal, "/portal/keys"));
            assertThat(keys.getElementById("keys").asNormalizedText())
                    .contains("nightly batch	" + prefix + "…", "Jan 1, 2027",
                            "60 requests/min · 100,000 tokens/min · $50.00 a month	active",
                            "main	" + setup.keyPrefix() + "…")
                    .contains("client's limits	active");

            HtmlPage revoked = keys.<HtmlElement>getHtmlElementById("revoke-" + prefix).click();
            assertThat(revoked.getUrl().getPath()).isEqualTo("/portal/keys");
            assertThat(revoked.getElementById("revoke-" + prefix)).isNull();
            assertThat(revoked.getElementById("revoke-" + setup.keyPrefix())).isNotNull();
            operator().when().get("/admin/v1/clients/" + setup.clientId() + "/api-keys")
                    .then().statusCode(200)
                    .body("find { it.name == 'nightly batch' }.revokedAt", equalTo("2026-12-15T10:00:00Z"))
                    .body("find { it.name == 'main' }.revokedAt", nullValue());

            HtmlForm again = browser.<HtmlPage>getPage(new URL(portal, "/portal/keys"))
                    .getHtmlElementById("new-key-form");
            again.getInputByName("name").type("too late");
            again.getInputByName("expiresOn").setValue("2026-12-14");
            Page refused = again.getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(400);
        }
    }

    private WebResponse csv(WebClient browser, String query) throws Exception {
        return browser.getPage(new URL(portal, "/portal/usage.csv?" + query)).getWebResponse();
    }

    private static String keyId(String clientId, String name) {
        return operator().when().get("/admin/v1/clients/" + clientId + "/api-keys")
                .then().statusCode(200).extract().path("find { it.name == '" + name + "' }.id");
    }

    /** The key's own limits as stored: requests and tokens per minute, in flight, budget and its currency. */
    private String limitOf(String keyId) throws Exception {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT requests_per_minute, "
                        + "tokens_per_minute, max_in_flight, budget_amount, budget_currency FROM api_key_limit "
                        + "WHERE api_key_id = ?::uuid")) {
            query.setString(1, keyId);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getObject(1) + "|" + row.getObject(2) + "|" + row.getObject(3) + "|"
                        + row.getBigDecimal(4).toPlainString() + "|" + row.getString(5);
            }
        }
    }

    @Test
    void aClientAdminCreatesAKeyThatIsShownOnceAndAViewerCannot() throws Exception {
        InvoicedClient setup = setUp("pages-keys");
        TestRealm.Credentials clientAdmin = TestRealm.newPerson("client-admin", setup.clientId());
        TestRealm.Credentials viewer = TestRealm.newPerson("client-viewer", setup.clientId());

        try (WebClient browser = browser()) {
            signIn(browser.getPage(portal), clientAdmin);
            HtmlPage keys = browser.getPage(new URL(portal, "/portal/keys"));
            HtmlForm form = keys.getForms().get(0);
            assertThat(form.getInputByName("csrf-token").getValue()).isNotBlank();
            form.getInputByName("name").type("ci pipeline");
            HtmlPage created = form.getOneHtmlElementByAttribute("button", "type", "submit").click();

            assertThat(created.getWebResponse().getResponseHeaderValue("Cache-Control")).isEqualTo("no-store");
            String key = ((HtmlInput) created.getElementById("new-key")).getValue();
            assertThat(key).matches("tb_[A-Za-z0-9_-]{43}");
            HtmlPage listed = browser.getPage(new URL(portal, "/portal/keys"));
            assertThat(listed.getElementById("keys").asNormalizedText())
                    .contains("ci pipeline\t" + key.substring(0, 11) + "…")
                    .doesNotContain(key.substring(11));
        }
        try (WebClient browser = browser()) {
            browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
            signIn(browser.getPage(portal), viewer);
            HtmlPage keys = browser.getPage(new URL(portal, "/portal/keys"));
            assertThat(keys.getForms()).isEmpty();
        }
    }

    @Test
    void refusesAFormWithoutItsCsrfToken() throws Exception {
        InvoicedClient setup = setUp("pages-csrf");
        TestRealm.Credentials clientAdmin = TestRealm.newPerson("client-admin", setup.clientId());

        try (WebClient browser = browser()) {
            browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
            signIn(browser.getPage(portal), clientAdmin);
            WebRequest forged = new WebRequest(new URL(portal, "/portal/keys"),
                    HttpMethod.POST);
            forged.setRequestParameters(List.of(new NameValuePair("name", "forged")));
            assertThat(browser.getPage(forged).getWebResponse().getStatusCode()).isEqualTo(400);
            WebRequest revoke = new WebRequest(new URL(portal, "/portal/keys/" + setup.keyId() + "/revoke"),
                    HttpMethod.POST);
            revoke.setRequestParameters(List.of(new NameValuePair("reason", "forged")));
            assertThat(browser.getPage(revoke).getWebResponse().getStatusCode()).isEqualTo(400);
        }
        operator().when().get("/admin/v1/clients/" + setup.clientId() + "/api-keys")
                .then().statusCode(200).body("name", equalTo(List.of("main"))).body("[0].revokedAt", nullValue());
    }

    @Test
    void sendsAVisitorWithoutSessionToKeycloak() {
        given().redirects().follow(false).when().get(portal)
                .then().statusCode(302)
                .header("Location", startsWith(LocalKeycloakResource.shared().realmUrl()
                        + "/protocol/openid-connect/auth?"));
    }

    @Test
    void servesTheChartLibraryItself() throws Exception {
        given().when().get(new URL(portal, "/_static/echarts/dist/echarts.min.js").toString())
                .then().statusCode(200)
                .header("Content-Security-Policy", startsWith("default-src 'self'"));
    }

    static HtmlPage signIn(HtmlPage login, TestRealm.Credentials person) throws Exception {
        HtmlForm form = login.getHtmlElementById("kc-form-login");
        form.getInputByName("username").type(person.username());
        form.getInputByName("password").type(person.password());
        HtmlElement submit = login.getHtmlElementById("kc-login");
        treatLoopbackAsSecure(login.getWebClient());
        return submit.click();
    }

    static WebClient browser() {
        WebClient browser = new WebClient();
        browser.getOptions().setCssEnabled(false);
        // The chart library is too modern for HtmlUnit's script engine; the chart's data is checked instead.
        browser.getOptions().setJavaScriptEnabled(false);
        browser.addRequestHeader("Accept-Language", "en-US");
        return browser;
    }

    /**
     * Keycloak marks its login cookies {@code Secure}. Browsers send such cookies to http://127.0.0.1 and
     * http://localhost, which they treat as secure origins; HtmlUnit does not, so the login page's cookies are
     * kept again without the mark, for loopback addresses only.
     */
    private static void treatLoopbackAsSecure(WebClient browser) {
        CookieManager cookies = browser.getCookieManager();
        for (Cookie cookie : Set.copyOf(cookies.getCookies())) {
            if (cookie.isSecure() && List.of("127.0.0.1", "localhost").contains(cookie.getDomain())) {
                cookies.removeCookie(cookie);
                cookies.addCookie(new Cookie(cookie.getDomain(), cookie.getName(), cookie.getValue(),
                        cookie.getPath(), cookie.getExpires(), false, cookie.isHttpOnly(), cookie.getSameSite()));
            }
        }
    }

    private static String text(HtmlPage page, String id) {
        return page.getElementById(id).asNormalizedText();
    }

    private InvoicedClient setUp(String slug) {
        return InvoicedClient.create(slug, bootstrapServers);
    }

    private static RequestSpecification operator() {
        return InvoicedClient.operator();
    }
}

package io.tollbooth.portal.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import java.net.URL;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.htmlunit.CookieManager;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
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
                assertThat(new PDFTextStripper().getText(document)).contains("PAGES-ACME-OP-2026-000001", "Total due $2.50");
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
        }
        operator().when().get("/admin/v1/clients/" + setup.clientId() + "/api-keys")
                .then().statusCode(200).body("name", equalTo(List.of("main")));
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

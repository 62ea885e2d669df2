package io.tollbooth.portal.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The client pages in a real browser: headless Chromium signs in on Keycloak's own login page, draws the dashboard's
 * charts with ECharts, creates a key that then goes through the real gateway, revokes it, and downloads an invoice
 * PDF. One
 * browser, one gateway, one Keycloak and one control plane serve the whole class; screenshots of every step are
 * kept in {@code target/browser/screenshots}.
 *
 * <p>Each test's client used 1,000,000 input tokens at 2.50 per million on 2026-12-10 ($2.50), invoiced for
 * December; the control plane's clock stands at 2026-12-15.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class ClientPagesBrowserTest {

    private static final Path ARTIFACTS = Path.of("target/browser").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static HeadlessChromium chromium;
    private static LocalGateway gateway;

    @TestHTTPResource("/portal")
    URL portal;

    @Inject
    AgroalDataSource database;

    @BeforeAll
    static void startBrowserAndGateway() throws IOException {
        HeadlessChromium.missing().ifPresent(reason -> Assumptions.abort(reason));
        Assumptions.assumeTrue(Files.isRegularFile(LocalGateway.packagedApplication()),
                "the gateway is not packaged at " + LocalGateway.packagedApplication()
                        + ": build it first (the full ./mvnw verify does)");
        String schema = ConfigProvider.getConfig().getValue("quarkus.flyway.schemas", String.class);
        String kafka = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        gateway = LocalGateway.start(schema, kafka, Duration.ofMillis(500), ARTIFACTS.resolve("gateway.log"));
        chromium = HeadlessChromium.start(ARTIFACTS);
    }

    @AfterAll
    static void stopBrowserAndGateway() {
        if (chromium != null) {
            chromium.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @AfterEach
    void signOut() {
        chromium.signOutEverywhere();
    }

    @Test
    void aClientAdminSeesTheChartCreatesAKeyUsesItThroughTheGatewayAndDownloadsTheInvoice() throws Exception {
        InvoicedClient acme = InvoicedClient.create("browser-acme", bootstrapServers());
        TestRealm.Credentials person = TestRealm.newPerson("client-admin", acme.clientId());
        ChromeDriver browser = chromium.driver();

        signIn(person);
        assertThat(browser.getCurrentUrl()).isEqualTo(portal.toString());
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeToBe(By.id("charts"),
                "data-drawn", "true"));
        chromium.screenshot("1-dashboard");
        assertThat(browser.findElement(By.id("month-spend")).getText()).isEqualTo("$2.50");
        for (String chart : List.of("spend-chart", "tokens-chart", "budget-chart")) {
            assertThat((Long) browser.executeScript("return document.querySelectorAll(arguments[0]).length",
                    "#" + chart + " canvas")).as(chart).isEqualTo(1L);
            assertThat((Long) browser.executeScript("return document.querySelector(arguments[0]).width",
                    "#" + chart + " canvas")).as(chart).isPositive();
        }
        // December to the 15th (the 10th's $2.50), nothing after; November, idle, as the line to compare with.
        List<Object> december = new ArrayList<>(Collections.nCopies(31, null));
        Collections.fill(december.subList(0, 15), 0L);
        december.set(9, 2.5);
        assertThat(chartSeries("spend-chart")).containsExactly(
                Map.of("name", InvoicedClient.MODEL, "data", december),
                Map.of("name", "Previous period (2026-11)", "data", Collections.nCopies(30, 0L)));
        december.set(9, 1_000_000L);
        assertThat(chartSeries("tokens-chart").get(0)).isEqualTo(Map.of("name", InvoicedClient.MODEL,
                "data", december));

        String key = createKey("browser pipeline");
        chromium.screenshot("2-key-created");
        assertThat(key).matches("tb_[A-Za-z0-9_-]{43}");
        JsonPath completion = chat(key);
        long input = completion.getLong("usage.prompt_tokens");
        long output = completion.getLong("usage.completion_tokens");
        assertThat(input).isPositive();
        await().atMost(WAIT).untilAsserted(() -> assertThat(meteredUsageOf(key.substring(0, 11)))
                .isEqualTo(new Metered(1, input, output, "RATED",
                        new BigDecimal("2.50").multiply(BigDecimal.valueOf(input))
                                .add(new BigDecimal("10.00").multiply(BigDecimal.valueOf(output)))
                                .movePointLeft(6))));

        // Revoked on the keys page, and refused by the gateway within 5 s (its key cache lives 4 s), although the
        // control plane's clock, which stamps the revocation, stands at 2026-12-15 in tests.
        browser.get(portal + "/keys");
        browser.findElement(By.id("revoke-" + key.substring(0, 11))).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(
                By.id("revoke-" + key.substring(0, 11))));
        long revokedAt = System.nanoTime();
        chromium.screenshot("3-key-revoked");
        assertThat(browser.findElement(By.id("keys")).getText()).contains("browser pipeline", "revoked");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> chatStatus(key) == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThanOrEqualTo(Duration.ofSeconds(5));

        browser.get(portal + "/invoices");
        chromium.screenshot("4-invoices");
        WebElement pdfLink = browser.findElement(By.cssSelector("#invoices a[download]"));
        pdfLink.click();
        Path pdf = awaitDownload("BROWSER-ACME-OP-2026-000001.pdf");
        try (PDDocument document = Loader.loadPDF(Files.readAllBytes(pdf))) {
            assertThat(new PDFTextStripper().getText(document))
                    .contains("BROWSER-ACME-OP-2026-000001", "Total due $2.50");
        }
    }

    @Test
    void anotherClientsAdminCannotReachTheFirstClientsPages() throws Exception {
        InvoicedClient first = InvoicedClient.create("browser-first", bootstrapServers());
        InvoicedClient other = InvoicedClient.create("browser-other", bootstrapServers());
        TestRealm.Credentials person = TestRealm.newPerson("client-admin", other.clientId());
        ChromeDriver browser = chromium.driver();

        signIn(person);
        assertThat(browser.findElement(By.cssSelector("header .who")).getText()).contains("browser-other");
        assertThat(status("/portal/invoices/" + first.invoiceId() + "/pdf")).isEqualTo(404);
        assertThat(status("/portal/invoices/" + other.invoiceId() + "/pdf")).isEqualTo(200);
        browser.get(portal + "/invoices/" + first.invoiceId() + "/pdf");
        chromium.screenshot("5-foreign-invoice");
        assertThat(browser.getTitle()).isEqualTo("Not found · Tollbooth");
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("HTTP status 404");
        assertThat(browser.findElement(By.id("error")).getText())
                .isEqualTo("invoice " + first.invoiceId() + " does not exist");

        browser.get(portal + "/invoices");
        assertThat(browser.findElement(By.id("invoices")).getText())
                .contains("BROWSER-OTHER-OP-2026-000001").doesNotContain("BROWSER-FIRST");
    }

    /** Opens the portal, is sent to Keycloak's login page and signs in there as the person. */
    private void signIn(TestRealm.Credentials person) throws IOException {
        ChromeDriver browser = chromium.driver();
        browser.get(portal.toString());
        assertThat(browser.getCurrentUrl()).startsWith(LocalKeycloakResource.shared().realmUrl());
        chromium.screenshot("0-keycloak-login");
        browser.findElement(By.id("username")).sendKeys(person.username());
        browser.findElement(By.id("password")).sendKeys(person.password());
        browser.findElement(By.id("kc-login")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlToBe(portal.toString()));
    }

    /** Creates a key on the keys page and returns it, read from the page that shows it once. */
    private String createKey(String name) {
        ChromeDriver browser = chromium.driver();
        browser.get(portal + "/keys");
        browser.findElement(By.id("key-name")).sendKeys(name);
        browser.findElement(By.cssSelector("#new-key-form button[type=submit]")).click();
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("new-key")))
                .getDomProperty("value");
    }

    /** A chart's series as ECharts holds them: name and one value per day. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> chartSeries(String chartId) {
        return (List<Map<String, Object>>) chromium.driver().executeScript("""
                var chart = echarts.getInstanceByDom(document.getElementById(arguments[0]));
                return chart.getOption().series.map(function (s) { return { name: s.name, data: s.data }; });
                """, chartId);
    }

    /** The HTTP status the signed-in browser gets for a path of the control plane. */
    private long status(String path) {
        return (Long) chromium.driver().executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                fetch(arguments[0], { credentials: 'same-origin' }).then(function (r) { done(r.status); });
                """, path);
    }

    /** One chat completion through the gateway with the key. */
    private static JsonPath chat(String key) {
        return given().auth().oauth2(key).contentType(ContentType.JSON)
                .body(Map.of("model", InvoicedClient.MODEL,
                        "messages", List.of(Map.of("role", "user", "content", "How many tokens is this?"))))
                .when().post(gateway.url() + "/v1/chat/completions")
                .then().statusCode(200).extract().jsonPath();
    }

    /** The gateway's status for one chat completion with the key. */
    private static int chatStatus(String key) {
        return given().auth().oauth2(key).contentType(ContentType.JSON)
                .body(Map.of("model", InvoicedClient.MODEL,
                        "messages", List.of(Map.of("role", "user", "content", "Still there?"))))
                .when().post(gateway.url() + "/v1/chat/completions").statusCode();
    }

    /** What metering stored and charged for the requests of the key with this prefix. */
    record Metered(long events, long inputTokens, long outputTokens, String ratingStatus, BigDecimal amount) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Metered m && events == m.events && inputTokens == m.inputTokens
                    && outputTokens == m.outputTokens && ratingStatus.equals(m.ratingStatus)
                    && amount.compareTo(m.amount) == 0;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(events);
        }
    }

    private Metered meteredUsageOf(String prefix) throws SQLException {
        String sql = """
                SELECT count(*), coalesce(sum(e.input_tokens), 0), coalesce(sum(e.output_tokens), 0),
                       coalesce(max(e.rating_status), ''),
                       coalesce(sum((SELECT sum(amount) FROM rated_usage r WHERE r.usage_event_id = e.id)), 0)
                  FROM usage_event e JOIN api_key k ON k.id = e.api_key_id
                 WHERE k.prefix = ?
                """;
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, prefix);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new Metered(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getBigDecimal(5));
            }
        }
    }

    private static Path awaitDownload(String fileName) {
        Path file = chromium.downloads().resolve(fileName);
        await().atMost(WAIT).until(() -> Files.isRegularFile(file) && Files.size(file) > 0
                && noDownloadInProgress());
        return file;
    }

    private static boolean noDownloadInProgress() throws IOException {
        try (Stream<Path> files = Files.list(chromium.downloads())) {
            return files.noneMatch(f -> f.getFileName().toString().endsWith(".crdownload"));
        }
    }

    private static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}

package io.tollbooth.portal.web;

import static io.tollbooth.portal.BillingWorld.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.BillingWorld;
import io.tollbooth.portal.TestRealm;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator's pages in a real browser: headless Chromium opens a deep link to a month's invoice runs, signs in on
 * Keycloak's own login page and lands on that link with its query; finalizes a draft invoice; creates a client and
 * edits its billing account and budget. Screenshots are kept in {@code target/browser/screenshots}.
 *
 * <p>Acme used 1,000,000 input tokens at 2.50 per million in December 2026 ($2.50); see {@link BillingWorld}.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class OperatorPagesBrowserTest {

    private static final Path ARTIFACTS = Path.of("target/browser").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static HeadlessChromium chromium;

    @TestHTTPResource("/portal")
    URL portal;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeAll
    static void startBrowser() throws IOException {
        HeadlessChromium.missing().ifPresent(reason -> Assumptions.abort(reason));
        chromium = HeadlessChromium.start(ARTIFACTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterEach
    void signOut() {
        chromium.signOutEverywhere();
    }

    @Test
    void anOperatorFollowsADeepLinkThroughSignInAndFinalizesADraft() throws Exception {
        BillingWorld world = BillingWorld.create("browser-op", bootstrapServers);
        operator().body(Map.of("operatorId", world.operatorId(), "period", "2026-12", "closeEarly", true,
                "draftsOnly", true)).when().post("/admin/v1/invoice-runs").then().statusCode(200);
        String month = portal + "/operator/invoices?operator=" + world.operatorId() + "&month=2026-12";
        ChromeDriver browser = chromium.driver();

        signIn(month, TestRealm.newPerson("operator", null));
        assertThat(browser.getCurrentUrl()).isEqualTo(month);
        chromium.screenshot("op-1-invoice-runs");
        assertThat(browser.findElement(By.id("invoices")).getText())
                .contains("Acme browser-op Dec 1, 2026 – Dec 31, 2026 draft $2.50 $2.50");

        browser.findElement(By.xpath("//table[@id='invoices']//tr[td[normalize-space()='Acme browser-op']]/th/a"))
                .click();
        WebElement finalize = new WebDriverWait(browser, WAIT)
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector("#finalize-form button")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Invoice DRAFT draft");
        chromium.screenshot("op-2-draft");
        finalize.click();

        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("done=finalized"));
        chromium.screenshot("op-3-finalized");
        assertThat(browser.findElement(By.tagName("h1")).getText())
                .isEqualTo("Invoice BROWSER-OP-OP-2026-000001 finalized");
        assertThat(browser.getTitle()).isEqualTo("Invoice BROWSER-OP-OP-2026-000001 · Tollbooth staff");
        assertThat(browser.findElement(By.id("notice")).getText()).isEqualTo("The invoice was finalized and numbered.");
        assertThat(browser.findElement(By.id("facts")).getText()).contains("Issued\nDec 15, 2026", "Due\nJan 14, 2027");
        assertThat(browser.findElement(By.id("totals")).getText())
                .isEqualTo("Subtotal $2.50\nTotal $2.50\nCredit applied $0.00\nAmount due $2.50");
        assertThat(browser.findElements(By.id("finalize-form"))).isEmpty();
        operator().when().get("/admin/v1/invoices?operatorId=" + world.operatorId() + "&period=2026-12")
                .then().statusCode(200)
                .body("find { it.billTo.name == 'Acme browser-op' }.number", equalTo("BROWSER-OP-OP-2026-000001"))
                .body("find { it.billTo.name == 'Acme browser-op' }.status", equalTo("FINALIZED"));
    }

    @Test
    void anOperatorCreatesAClientAndEditsItsBillingAccountAndBudget() throws Exception {
        ClientAdminPagesTest.Tenant t = ClientAdminPagesTest.Tenant.create("browser-clients", "USD");
        ChromeDriver browser = chromium.driver();

        signIn(portal + "/operator/invoices", TestRealm.newPerson("operator", null));
        browser.findElement(By.linkText("Clients")).click();
        new Select(browser.findElement(By.id("operator"))).selectByValue(t.operatorId());
        browser.findElement(By.cssSelector("#chooser button[type=submit]")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("new-client-form")));
        chromium.screenshot("clients-1-list");

        browser.findElement(By.id("client-name")).sendKeys("Contoso Ltd");
        browser.findElement(By.id("client-slug")).sendKeys("contoso");
        browser.findElement(By.id("client-currency")).sendKeys("USD");
        WebElement zone = browser.findElement(By.id("client-zone"));
        zone.clear();
        zone.sendKeys("America/New_York");
        browser.findElement(By.cssSelector("#new-client-form button[type=submit]")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("done=created"));
        chromium.screenshot("clients-2-created");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Contoso Ltd contoso");
        assertThat(browser.findElement(By.id("facts")).getText()).isEqualTo(
                "Currency\nUSD\nTime zone\nAmerica/New_York\nStripe customer\nnone: not collected through Stripe");

        replace("account-day", "5");
        replace("account-contact", "Accounts Payable");
        replace("tax-name-1", "NY sales tax");
        replace("tax-percent-1", "8.875");
        browser.findElement(By.cssSelector("#account-form button[type=submit]")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("done=account"));
        replace("budget-amount", "100");
        browser.findElement(By.cssSelector("#budget-form button[type=submit]")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("done=budget"));
        chromium.screenshot("clients-3-edited");
        assertThat(browser.findElement(By.id("account-day")).getDomProperty("value")).isEqualTo("5");
        assertThat(browser.findElement(By.id("tax-percent-1")).getDomProperty("value")).isEqualTo("8.875");
        assertThat(browser.findElement(By.id("budget-amount")).getDomProperty("value")).isEqualTo("100");

        browser.findElement(By.linkText("All clients")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("clients")));
        chromium.screenshot("clients-4-list");
        assertThat(browser.findElement(By.id("clients")).getText())
                .contains("Contoso Ltd contoso USD America/New_York Standard $100.00");
        String clientId = operator().when().get("/admin/v1/clients?operatorId=" + t.operatorId())
                .then().statusCode(200).extract().path("find { it.slug == 'contoso' }.id");
        operator().when().get("/admin/v1/clients/" + clientId + "/billing-account").then().statusCode(200)
                .body("billingDay", equalTo(5)).body("contactName", equalTo("Accounts Payable"))
                .body("taxRates.percent", equalTo(List.of("8.875")));
    }

    /** Opens {@code url}, is sent to Keycloak's login page, signs in there and waits to be back on the portal. */
    private void signIn(String url, TestRealm.Credentials person) throws IOException {
        ChromeDriver browser = chromium.driver();
        browser.get(url);
        assertThat(browser.getCurrentUrl()).startsWith(LocalKeycloakResource.shared().realmUrl());
        browser.findElement(By.id("username")).sendKeys(person.username());
        browser.findElement(By.id("password")).sendKeys(person.password());
        browser.findElement(By.id("kc-login")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains(portal.getPath()));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.tagName("main")));
    }

    private static void replace(String id, String value) {
        WebElement input = chromium.driver().findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }
}

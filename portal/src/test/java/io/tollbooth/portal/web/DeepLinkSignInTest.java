package io.tollbooth.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import java.net.URL;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.junit.jupiter.api.Test;

/**
 * A deep link opened before signing in keeps its query string through Keycloak's login page: the person lands on
 * what they asked for, with its parameters. {@code ClientPagesBrowserTest} checks the same in Chromium.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class DeepLinkSignInTest {

    @TestHTTPResource("/portal/operator/audit?month=2026-11&operator=")
    URL auditOfNovember;

    @Test
    void anOperatorLandsOnTheDeepLinkWithItsQuery() throws Exception {
        try (WebClient browser = StaffBrowser.open()) {
            Page page = StaffBrowser.signInTo(browser, auditOfNovember, TestRealm.newPerson("operator", null));

            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(page.getUrl().getPath()).isEqualTo("/portal/operator/audit");
            assertThat(page.getUrl().getQuery()).isEqualTo("month=2026-11&operator=");
        }
    }

    @Test
    void aClientAdminsUsageLinkDownloadsTheDaysItNames() throws Exception {
        ClientAdminPagesTest.Tenant t = ClientAdminPagesTest.Tenant.create("deep-link", "USD");
        URL csv = new URL(auditOfNovember, "/portal/usage.csv?from=2026-12-01&to=2026-12-05");

        try (WebClient browser = StaffBrowser.open()) {
            Page page = StaffBrowser.signInTo(browser, csv, TestRealm.newPerson("client-admin", t.clientId()));

            assertThat(page.getUrl().getQuery()).isEqualTo("from=2026-12-01&to=2026-12-05");
            assertThat(page.getWebResponse().getResponseHeaderValue("Content-Disposition"))
                    .isEqualTo("attachment; filename=\"usage-deep-link-c-2026-12-01-to-2026-12-05.csv\"");
        }
    }

    @Test
    void aSectionsHomeKeepsTheQueryOnItsFirstPage() throws Exception {
        URL operatorHome = new URL(auditOfNovember, "/portal/operator?month=2026-11&operator=");
        try (WebClient browser = StaffBrowser.open()) {
            Page page = StaffBrowser.signInTo(browser, operatorHome, TestRealm.newPerson("operator", null));

            assertThat(page.getUrl().getPath()).isEqualTo("/portal/operator/invoices");
            assertThat(page.getUrl().getQuery()).isEqualTo("month=2026-11&operator=");
            assertThat(((org.htmlunit.html.HtmlPage) page).getElementById("month").getAttribute("value"))
                    .isEqualTo("2026-11");
        }
        URL financeHome = new URL(auditOfNovember, "/portal/finance?month=2026-10");
        try (WebClient browser = StaffBrowser.open()) {
            Page page = StaffBrowser.signInTo(browser, financeHome, TestRealm.newPerson("finance", null));

            assertThat(page.getUrl().getPath()).isEqualTo("/portal/finance/register");
            assertThat(page.getUrl().getQuery()).isEqualTo("month=2026-10");
        }
    }
}

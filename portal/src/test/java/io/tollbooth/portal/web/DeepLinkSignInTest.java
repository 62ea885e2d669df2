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
 * the page they asked for, with its parameters.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class DeepLinkSignInTest {

    @TestHTTPResource("/portal/operator/audit?month=2026-11&operator=")
    URL auditOfNovember;

    @Test
    void anOperatorLandsOnTheDeepLinkWithItsQueryAfterSigningIn() throws Exception {
        try (WebClient browser = StaffBrowser.open()) {
            Page page = StaffBrowser.signInTo(browser, auditOfNovember, TestRealm.newPerson("operator", null));

            System.out.println("LANDED " + page.getUrl() + " " + page.getWebResponse().getStatusCode());
            assertThat(page.getUrl().getPath()).isEqualTo("/portal/operator/audit");
            assertThat(page.getUrl().getQuery()).isEqualTo("month=2026-11&operator=");
        }
        try (WebClient browser = StaffBrowser.open()) {
            URL csv = new URL(auditOfNovember, "/portal/usage.csv?from=2026-12-01&to=2026-12-05");
            Page page = StaffBrowser.signInTo(browser, csv, TestRealm.newPerson("client-admin",
                    BillingWorldless.client()));
            System.out.println("LANDED " + page.getUrl() + " " + page.getWebResponse().getStatusCode() + " "
                    + page.getWebResponse().getResponseHeaderValue("Content-Disposition"));
        }
        try (WebClient browser = StaffBrowser.open()) {
            URL csv = new URL(auditOfNovember, "/portal/finance/exports/download?operator=" + BillingWorldless.op
                    + "&kind=invoices&from=2026-11&to=2026-12");
            Page page = StaffBrowser.signInTo(browser, csv, TestRealm.newPerson("finance", null));
            System.out.println("LANDED " + page.getUrl() + " " + page.getWebResponse().getStatusCode() + " "
                    + page.getWebResponse().getResponseHeaderValue("Content-Disposition"));
        }
    }

    static final class BillingWorldless {
        static String op;

        static String client() {
            op = io.tollbooth.portal.BillingWorld.operator().body(java.util.Map.of("slug", "deep-" + System.nanoTime(),
                    "name", "Deep", "currency", "USD")).when().post("/admin/v1/operators").then().statusCode(201)
                    .extract().path("id");
            io.tollbooth.portal.BillingWorld.operator().body(java.util.Map.of("operatorId", op, "name", "deep-model"))
                    .when().post("/admin/v1/models").then().statusCode(201);
            String plan = io.tollbooth.portal.BillingWorld.operator().body(java.util.Map.of("operatorId", op,
                    "name", "P", "currency", "USD", "prices", java.util.List.of(java.util.Map.of("model", "deep-model",
                    "tokenKind", "input", "pricePerMillion", "1.00", "effectiveFrom", "2026-01-01T00:00:00Z")))).when()
                    .post("/admin/v1/price-plans").then().extract().path("id");
            return io.tollbooth.portal.BillingWorld.operator().body(java.util.Map.of("operatorId", op,
                    "slug", "deep", "name", "Deep", "currency", "USD", "timeZone", "UTC", "pricePlanId", plan))
                    .when().post("/admin/v1/clients").then().statusCode(201).extract().path("id");
        }
    }
}

package io.tollbooth.portal.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import org.htmlunit.WebClient;
import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.Cookie;
import org.junit.jupiter.api.Test;

/**
 * Every answer, page or API, carries the security headers; a signed-in session lives in an HttpOnly cookie that
 * expires with the session, not a long-lived one.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class SecurityHeadersTest {

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @TestHTTPResource("/portal/finance/register")
    URL register;

    @Test
    void aSignedInPageCarriesTheHeadersAndAShortLivedSessionCookie() throws Exception {
        try (WebClient browser = StaffBrowser.open()) {
            HtmlPage page = StaffBrowser.signIn(browser, register, TestRealm.newPerson("finance", null));
            WebResponse response = page.getWebResponse();
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getResponseHeaderValue("Content-Security-Policy")).isEqualTo(CSP);
            assertThat(response.getResponseHeaderValue("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.getResponseHeaderValue("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.getResponseHeaderValue("Referrer-Policy")).isEqualTo("no-referrer");

            Cookie session = browser.getCookieManager().getCookies().stream()
                    .filter(cookie -> cookie.getName().startsWith("q_session")).findFirst().orElseThrow();
            assertThat(session.isHttpOnly()).isTrue();
            // Keycloak's access token lives 5 minutes; the cookie outlives it by Quarkus' 5-minute grace at most,
            // and is renewed only while Keycloak's session (30 minutes idle, 10 hours at most) lasts.
            assertThat(session.getExpires().toInstant()).isBefore(Instant.now().plus(Duration.ofMinutes(11)));
        }
    }

    @Test
    void apiAnswersAndTheOpenApiDocumentCarryTheHeadersToo() {
        given().when().get("/admin/v1/operators/00000000-0000-0000-0000-000000000000")
                .then().statusCode(401)
                .header("Content-Security-Policy", equalTo(CSP))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("no-referrer"));
        given().when().get("/q/openapi").then().statusCode(200).header("X-Content-Type-Options", equalTo("nosniff"));
    }
}

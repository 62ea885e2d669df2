package io.tollbooth.portal.web;

import io.tollbooth.portal.TestRealm;
import java.net.URL;
import java.util.List;
import java.util.Set;
import org.htmlunit.CookieManager;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.Cookie;

/**
 * A browser (HtmlUnit) for the staff pages' tests that signs in through the real Keycloak login page, as a person
 * does. Scripts are off: the staff pages need none, and every value is checked in the HTML.
 */
final class StaffBrowser {

    private StaffBrowser() {
    }

    /** A browser that asks for US English and reports failing statuses as pages instead of exceptions. */
    static WebClient open() {
        WebClient browser = new WebClient();
        browser.getOptions().setCssEnabled(false);
        browser.getOptions().setJavaScriptEnabled(false);
        browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
        browser.addRequestHeader("Accept-Language", "en-US");
        return browser;
    }

    /** Opens {@code page}, which sends the browser to Keycloak's login page, signs in and returns the page. */
    static HtmlPage signIn(WebClient browser, URL page, TestRealm.Credentials person) throws Exception {
        return (HtmlPage) signInTo(browser, page, person);
    }

    /** {@link #signIn} for an answer that may not be a page, such as a refusal or a download. */
    static Page signInTo(WebClient browser, URL page, TestRealm.Credentials person) throws Exception {
        HtmlPage login = browser.getPage(page);
        HtmlForm form = login.getHtmlElementById("kc-form-login");
        form.getInputByName("username").type(person.username());
        form.getInputByName("password").type(person.password());
        treatLoopbackAsSecure(browser);
        return login.getHtmlElementById("kc-login").click();
    }

    /**
     * Keycloak marks its login cookies {@code Secure}. Browsers send such cookies to http://127.0.0.1, which they
     * treat as a secure origin; HtmlUnit does not, so those cookies are kept again without the mark, for loopback
     * addresses only.
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
}

package io.tollbooth.portal.web;

import static io.tollbooth.portal.BillingWorld.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.html.HtmlTable;
import org.junit.jupiter.api.Test;

/**
 * An operator signs in through the real Keycloak login page and looks after a client from the client pages:
 * creates it, edits its billing account, budget and people; every refused form comes back with the reason and what
 * was typed. Also the other pages' forms, which show their refusals on the page too.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class ClientAdminPagesTest {

    @TestHTTPResource("/portal/operator/clients")
    URL clients;

    @Test
    void anOperatorCreatesAClientAndEditsItsAccountBudgetAndPeople() throws Exception {
        Tenant t = Tenant.create("pages-acct", "EUR");
        URL list = new URL(clients, "/portal/operator/clients?operator=" + t.operatorId());

        try (WebClient browser = StaffBrowser.open()) {
            HtmlPage empty = StaffBrowser.signIn(browser, list, TestRealm.newPerson("operator", null));
            assertThat(empty.getTitleText()).isEqualTo("Clients · Tollbooth staff");
            assertThat(text(empty, "clients")).contains("pages-acct\tpages-acct-c\tEUR\tEurope/Berlin\tStandard\tnone");

            HtmlForm form = empty.getHtmlElementById("new-client-form");
            form.getInputByName("name").type("Müller GmbH");
            form.getInputByName("slug").type("Müller");
            form.getInputByName("currency").type("EUR");
            form.getInputByName("timeZone").setValue("Europe/Berlin");
            HtmlPage refused = submit(form);
            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(text(refused, "error"))
                    .isEqualTo("Short name: must be lower-case letters, digits and inner hyphens.");
            assertThat(value(refused, "client-name")).isEqualTo("Müller GmbH");
            assertThat(value(refused, "client-slug")).isEqualTo("Müller");
            assertThat(value(refused, "client-zone")).isEqualTo("Europe/Berlin");

            HtmlForm again = refused.getHtmlElementById("new-client-form");
            again.getInputByName("slug").setValue("mueller");
            HtmlPage created = submit(again);
            assertThat(created.getUrl().getQuery()).isEqualTo("done=created");
            assertThat(created.getTitleText()).isEqualTo("Müller GmbH · Tollbooth staff");
            assertThat(text(created, "facts"))
                    .isEqualTo("Currency\nEUR\nTime zone\nEurope/Berlin\nStripe customer\n"
                            + "none: not collected through Stripe");
            assertThat(text(created, "pricing"))
                    .isEqualTo("Price plan\nStandard (EUR), 2 prices\nOwn prices\n0\nMarkup\nnone");
            assertThat(value(created, "account-day")).isEqualTo("1");
            assertThat(value(created, "account-terms")).isEqualTo("30");

            // A billing day past the 28th is refused; everything typed stays in the form.
            HtmlForm account = created.getHtmlElementById("account-form");
            account.getInputByName("billingDay").setValue("31");
            account.getInputByName("contactName").type("Buchhaltung");
            ((HtmlInput) created.getElementById("tax-name-1")).type("USt 19%");
            ((HtmlInput) created.getElementById("tax-percent-1")).type("19");
            HtmlPage badDay = submit(account);
            assertThat(badDay.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(text(badDay, "account-error")).isEqualTo("Billing day: must be less than or equal to 28.");
            assertThat(value(badDay, "account-day")).isEqualTo("31");
            assertThat(value(badDay, "account-contact")).isEqualTo("Buchhaltung");
            assertThat(value(badDay, "tax-name-1")).isEqualTo("USt 19%");
            assertThat(value(badDay, "tax-percent-1")).isEqualTo("19");

            HtmlForm fixed = badDay.getHtmlElementById("account-form");
            fixed.getInputByName("billingDay").setValue("15");
            fixed.getInputByName("paymentTermsDays").setValue("14");
            fixed.getInputByName("purchaseOrder").type("PO-4711");
            ((HtmlInput) badDay.getElementById("tax-name-2")).type("EU reverse charge");
            ((HtmlInput) badDay.getElementById("tax-percent-2")).type("0");
            ((HtmlInput) badDay.getElementById("tax-note-2")).type("Steuerschuldnerschaft des Leistungsempfängers");
            HtmlPage saved = submit(fixed);
            assertThat(saved.getUrl().getQuery()).isEqualTo("done=account");
            assertThat(text(saved, "notice")).startsWith("The billing account was saved.");
            assertThat(value(saved, "account-day")).isEqualTo("15");
            assertThat(value(saved, "tax-note-2")).isEqualTo("Steuerschuldnerschaft des Leistungsempfängers");
            assertThat(value(saved, "tax-name-3")).isEmpty();
            String clientId = saved.getUrl().getPath().substring("/portal/operator/clients/".length());
            operator().when().get("/admin/v1/clients/" + clientId + "/billing-account").then().statusCode(200)
                    .body("billingDay", equalTo(15)).body("paymentTermsDays", equalTo(14))
                    .body("contactName", equalTo("Buchhaltung")).body("purchaseOrder", equalTo("PO-4711"))
                    .body("taxRates.name", equalTo(List.of("USt 19%", "EU reverse charge")))
                    .body("taxRates.percent", equalTo(List.of("19", "0")))
                    .body("taxRates[1].reverseChargeNote",
                            equalTo("Steuerschuldnerschaft des Leistungsempfängers"));

            HtmlForm budget = saved.getHtmlElementById("budget-form");
            budget.getInputByName("amount").type("250.505");
            HtmlPage badBudget = submit(budget);
            assertThat(badBudget.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(text(badBudget, "budget-error"))
                    .isEqualTo("Budget: must be a non-negative amount with at most 2 decimals in EUR.");
            assertThat(value(badBudget, "budget-amount")).isEqualTo("250.505");
            HtmlForm budgetAgain = badBudget.getHtmlElementById("budget-form");
            budgetAgain.getInputByName("amount").setValue("250.50");
            HtmlPage budgeted = submit(budgetAgain);
            assertThat(text(budgeted, "notice")).startsWith("The budget was saved.");
            assertThat(value(budgeted, "budget-amount")).isEqualTo("250.50");

            HtmlPage listed = browser.getPage(list);
            assertThat(text(listed, "clients")).contains("Müller GmbH\tmueller\tEUR\tEurope/Berlin\tStandard\t€250.50");

            // People: one is invited, a second invitation of the same address is refused, and the first removed.
            String email = "grace." + UUID.randomUUID() + "@mueller.example";
            HtmlForm invite = budgeted.getHtmlElementById("invite-form");
            invite.getInputByName("email").type(email);
            invite.getInputByName("firstName").type("Grace");
            invite.getInputByName("lastName").type("Hopper");
            ((HtmlSelect) budgeted.getElementById("invite-role")).setSelectedAttribute("client-admin", true);
            HtmlPage invited = submit(invite);
            assertThat(text(invited, "notice")).startsWith("The person was invited.");
            assertThat(text(invited, "people")).contains(email + "\tGrace Hopper\tclient-admin\tactive");
            String personId = operator().when().get("/admin/v1/clients/" + clientId + "/people")
                    .then().statusCode(200).extract().path("[0].id");
            assertThat(TestRealm.user(personId).getBoolean("enabled")).isTrue();

            HtmlForm twice = invited.getHtmlElementById("invite-form");
            twice.getInputByName("email").type(email);
            twice.getInputByName("firstName").type("Grace");
            twice.getInputByName("lastName").type("Twice");
            HtmlPage duplicate = submit(twice);
            assertThat(duplicate.getWebResponse().getStatusCode()).isEqualTo(409);
            assertThat(text(duplicate, "people-error")).isEqualTo("Keycloak already has an account for " + email + ".");
            assertThat(value(duplicate, "invite-last")).isEqualTo("Twice");
            assertThat(((HtmlSelect) duplicate.getElementById("invite-role")).getSelectedOptions().get(0)
                    .getValueAttribute()).isEqualTo("client-viewer");

            HtmlPage removed = submit(invited.getHtmlElementById("remove-" + personId).getEnclosingFormOrDie());
            assertThat(text(removed, "notice")).startsWith("The person was removed");
            assertThat(text(removed, "people")).contains(email + "\tGrace Hopper\tclient-admin\tremoved");
            assertThat(TestRealm.user(personId).getBoolean("enabled")).isFalse();
        }
    }

    @Test
    void aClientAdminInvitesAndRemovesTheirCompanysPeopleButNotThemselves() throws Exception {
        Tenant t = Tenant.create("people-self", "USD");
        TestRealm.Credentials admin = TestRealm.newPerson("client-admin", t.clientId());

        try (WebClient browser = StaffBrowser.open()) {
            HtmlPage people = StaffBrowser.signIn(browser, new URL(clients, "/portal/people"), admin);
            assertThat(people.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(people.getAnchorByHref("/portal/people").getAttribute("aria-current")).isEqualTo("page");
            HtmlTable own = (HtmlTable) people.getElementById("people");
            assertThat(own.getBodies().get(0).getRows()).hasSize(1);
            assertThat(own.getBodies().get(0).asNormalizedText())
                    .isEqualTo(admin.username() + "\tTest Person\tclient-admin\tactive (you)\t");

            String email = "ada." + UUID.randomUUID() + "@people-self.example";
            HtmlForm bad = people.getHtmlElementById("invite-form");
            bad.getInputByName("email").type("ada at people-self");
            bad.getInputByName("firstName").type("Ada");
            bad.getInputByName("lastName").type("Viewer");
            HtmlPage refused = submit(bad);
            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(text(refused, "people-error")).isEqualTo("E-mail: must be a well-formed email address.");
            assertThat(value(refused, "invite-email")).isEqualTo("ada at people-self");

            HtmlForm invite = refused.getHtmlElementById("invite-form");
            invite.getInputByName("email").setValue(email);
            HtmlPage invited = submit(invite);
            assertThat(text(invited, "notice")).startsWith("The person was invited.");
            assertThat(text(invited, "people")).contains(email + "\tAda Viewer\tclient-viewer\tactive");
            List<Map<String, Object>> listed = operator().when().get("/admin/v1/clients/" + t.clientId() + "/people")
                    .then().statusCode(200).extract().path("");
            String viewerId = idOf(listed, email);
            String ownId = idOf(listed, admin.username());
            assertThat(TestRealm.realmRoles(viewerId)).contains("client-viewer");

            assertThat(text(invited, "people"))
                    .contains(admin.username() + "\tTest Person\tclient-admin\tactive (you)");
            assertThat(invited.getElementById("remove-" + ownId)).isNull();
            // The page offers no removal of oneself; a form posted there anyway is refused.
            HtmlForm forged = invited.getHtmlElementById("remove-" + viewerId).getEnclosingFormOrDie();
            forged.setActionAttribute("/portal/people/" + ownId + "/remove");
            HtmlPage self = submit(forged);
            assertThat(self.getWebResponse().getStatusCode()).isEqualTo(409);
            assertThat(text(self, "people-error")).isEqualTo("You cannot remove yourself; another admin of "
                    + "people-self can.");
            assertThat(TestRealm.user(ownId).getBoolean("enabled")).isTrue();

            HtmlPage removed = submit(self.getHtmlElementById("remove-" + viewerId).getEnclosingFormOrDie());
            assertThat(text(removed, "notice")).startsWith("The person was removed");
            assertThat(text(removed, "people")).contains(email + "\tAda Viewer\tclient-viewer\tremoved");
            assertThat(TestRealm.user(viewerId).getBoolean("enabled")).isFalse();
        }

        try (WebClient browser = StaffBrowser.open()) {
            HtmlPage dashboard = StaffBrowser.signIn(browser, new URL(clients, "/portal"),
                    TestRealm.newPerson("client-viewer", t.clientId()));
            assertThat(dashboard.getAnchors()).noneMatch(a -> a.getHrefAttribute().equals("/portal/people"));
            HtmlPage forbidden = browser.getPage(new URL(clients, "/portal/people"));
            assertThat(forbidden.getWebResponse().getStatusCode()).isEqualTo(403);
        }
    }

    private static String idOf(List<Map<String, Object>> people, String email) {
        return people.stream().filter(p -> email.equals(p.get("email"))).map(p -> (String) p.get("id")).findFirst()
                .orElseThrow(() -> new AssertionError(email + " is not among " + people));
    }

    @Test
    void theOtherPagesFormsShowTheirRefusalsOnThePageWithWhatWasTyped() throws Exception {
        Tenant t = Tenant.create("pages-forms", "USD");

        try (WebClient browser = StaffBrowser.open()) {
            HtmlPage keys = StaffBrowser.signIn(browser, new URL(clients, "/portal/keys"),
                    TestRealm.newPerson("client-admin", t.clientId()));
            HtmlForm key = keys.getHtmlElementById("new-key-form");
            key.getInputByName("name").type("ci pipeline");
            key.getInputByName("requestsPerMinute").setValue("3000000000");
            HtmlPage refusedKey = submit(key);
            assertThat(refusedKey.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(refusedKey.getWebResponse().getContentType()).isEqualTo("text/html");
            assertThat(text(refusedKey, "error"))
                    .isEqualTo("The key was not created: requests per minute must be at most 2147483647.");
            assertThat(value(refusedKey, "key-name")).isEqualTo("ci pipeline");
            assertThat(value(refusedKey, "key-rpm")).isEqualTo("3000000000");
            assertThat(refusedKey.asNormalizedText()).contains("No keys yet.");

            HtmlPage usage = browser.getPage(new URL(clients, "/portal/usage.csv?from=2026-12-10&to=2026-12-01"));
            assertThat(usage.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(text(usage, "usage-error")).isEqualTo("No CSV: to (2026-12-01) is before from (2026-12-10).");
            assertThat(value(usage, "usage-from")).isEqualTo("2026-12-10");
            assertThat(value(usage, "usage-to")).isEqualTo("2026-12-01");
        }

        try (WebClient browser = StaffBrowser.open()) {
            HtmlPage exports = StaffBrowser.signIn(browser, new URL(clients, "/portal/finance/exports?operator="
                    + t.operatorId() + "&month=2026-12"), TestRealm.newPerson("finance", null));
            HtmlForm export = exports.getHtmlElementById("export-form");
            export.getInputByName("to").setValue("2026-01");
            ((HtmlSelect) exports.getElementById("export-kind")).setSelectedAttribute("invoice-lines", true);
            HtmlPage refusedExport = submit(export);
            assertThat(refusedExport.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(text(refusedExport, "error"))
                    .isEqualTo("No export: the range ends (2026-01) before it starts (2026-12).");
            assertThat(value(refusedExport, "export-from")).isEqualTo("2026-12");
            assertThat(value(refusedExport, "export-to")).isEqualTo("2026-01");
            assertThat(((HtmlSelect) refusedExport.getElementById("export-kind")).getSelectedOptions().get(0)
                    .getValueAttribute()).isEqualTo("invoice-lines");
        }

        try (WebClient browser = StaffBrowser.open()) {
            HtmlPage invoices = StaffBrowser.signIn(browser, new URL(clients, "/portal/operator/invoices?operator="
                    + t.operatorId() + "&month=2026-12"), TestRealm.newPerson("operator", null));
            HtmlForm run = invoices.getHtmlElementById("run-form");
            run.getInputByName("month").setValue("2026-13");
            HtmlPage refusedRun = submit(run);
            assertThat(refusedRun.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(text(refusedRun, "error"))
                    .isEqualTo("Nothing was closed: month must be a month such as 2026-12.");
        }
        operator().when().get("/admin/v1/clients/" + t.clientId() + "/api-keys").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    private static HtmlPage submit(HtmlForm form) throws Exception {
        return form.getOneHtmlElementByAttribute("button", "type", "submit").click();
    }

    private static String text(HtmlPage page, String id) {
        return page.getElementById(id).asNormalizedText();
    }

    private static String value(HtmlPage page, String id) {
        return ((HtmlInput) page.getElementById(id)).getValue();
    }

    /** An operator with a two-price plan in {@code currency} and one client of it in Europe/Berlin. */
    record Tenant(String operatorId, String planId, String clientId) {

        static Tenant create(String slug, String currency) {
            String operator = post("/admin/v1/operators", Map.of("slug", slug + "-" + System.nanoTime(),
                    "name", slug, "currency", currency));
            post("/admin/v1/models", Map.of("operatorId", operator, "name", "pages-model"));
            String plan = post("/admin/v1/price-plans", Map.of("operatorId", operator, "name", "Standard",
                    "currency", currency, "prices", List.of(price("input", "2.50"), price("output", "10.00"))));
            String client = post("/admin/v1/clients", Map.of("operatorId", operator, "slug", slug + "-c",
                    "name", slug, "currency", currency, "timeZone", "Europe/Berlin", "pricePlanId", plan));
            return new Tenant(operator, plan, client);
        }

        private static Map<String, Object> price(String kind, String perMillion) {
            return Map.of("model", "pages-model", "tokenKind", kind, "pricePerMillion", perMillion,
                    "effectiveFrom", "2026-01-01T00:00:00Z");
        }

        private static String post(String path, Map<String, ?> body) {
            return operator().body(body).when().post(path).then().statusCode(201).extract().path("id");
        }
    }
}

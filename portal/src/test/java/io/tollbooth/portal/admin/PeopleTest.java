package io.tollbooth.portal.admin;

import static io.tollbooth.portal.admin.Admin.admin;
import static io.tollbooth.portal.admin.Admin.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestClock;
import io.tollbooth.portal.TestRealm;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A client's people live in the real Keycloak: inviting creates the user there with the client and the role and
 * no password; removing disables the account, which can then no longer sign in.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class PeopleTest {

    @Test
    void invitesAPersonIntoKeycloakWithTheClientAndRoleButNoPassword() {
        String clientId = newClient("people-invite");
        String email = "Grace." + UUID.randomUUID() + "@Contoso.example";

        JsonPath person = admin().body(invitation(email, "client-viewer"))
                .when().post(people(clientId))
                .then().statusCode(201)
                .body("clientId", equalTo(clientId))
                .body("email", equalTo(email.toLowerCase()))
                .body("firstName", equalTo("Grace"))
                .body("lastName", equalTo("Hopper"))
                .body("role", equalTo("client-viewer"))
                .body("enabled", equalTo(true))
                .extract().jsonPath();
        String personId = person.getString("id");

        JsonPath user = TestRealm.user(personId);
        assertThat(user.getList("attributes.tollbooth_client_id")).containsExactly(clientId);
        assertThat(user.getList("requiredActions")).containsExactlyInAnyOrder("UPDATE_PASSWORD", "VERIFY_EMAIL");
        assertThat(TestRealm.realmRoles(personId)).contains("client-viewer").doesNotContain("operator", "finance");
        assertThat(TestRealm.hasPassword(personId)).isFalse();

        admin().when().get(people(clientId)).then().statusCode(200)
                .body("id", equalTo(List.of(personId)));

        // Once they have chosen a password, their token reaches their client and only as a viewer.
        String token = TestRealm.acceptInvitation(personId, email.toLowerCase());
        Admin.as(token).when().get("/admin/v1/clients/" + clientId).then().statusCode(200);
        Admin.as(token).body(Map.of("name", "nope")).when().post("/admin/v1/clients/" + clientId + "/api-keys")
                .then().statusCode(403);
    }

    @Test
    void letsAClientAdminInviteToTheirOwnClient() {
        String clientId = newClient("people-self");
        String clientAdmin = TestRealm.person("client-admin", clientId);

        Admin.as(clientAdmin).body(invitation("lin." + UUID.randomUUID() + "@contoso.example", "client-admin"))
                .when().post(people(clientId))
                .then().statusCode(201)
                .body("role", equalTo("client-admin"))
                .body("clientId", equalTo(clientId));
    }

    @Test
    void refusesATakenAddressAndAStaffRole() {
        String clientId = newClient("people-refuse");
        String email = "taken." + UUID.randomUUID() + "@contoso.example";
        admin().body(invitation(email, "client-viewer")).when().post(people(clientId)).then().statusCode(201);

        admin().body(invitation(email, "client-viewer"))
                .when().post(people(clientId))
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("title", equalTo("Conflict"))
                .body("detail", equalTo("a person with e-mail address " + email + " already exists"));
        admin().body(invitation("boss." + UUID.randomUUID() + "@contoso.example", "operator"))
                .when().post(people(clientId))
                .then().statusCode(400)
                .body("errors[0].field", equalTo("role"))
                .body("errors[0].message", equalTo("must be client-admin or client-viewer"));
    }

    @Test
    void removingAPersonDisablesTheirAccountSoTheyCannotSignIn() {
        String clientId = newClient("people-remove");
        String email = "leaver." + UUID.randomUUID() + "@contoso.example";
        String personId = create(people(clientId), invitation(email, "client-admin"));
        String password = "pw-" + UUID.randomUUID();
        TestRealm.acceptInvitation(personId, email, password);

        admin().when().delete(people(clientId) + "/" + personId).then().statusCode(204);

        assertThat(TestRealm.user(personId).getBoolean("enabled")).isFalse();
        admin().when().get(people(clientId) + "/" + personId).then().statusCode(200)
                .body("enabled", equalTo(false));
        // Removing again changes nothing.
        admin().when().delete(people(clientId) + "/" + personId).then().statusCode(204);
        TestRealm.signIn(email, password).then().statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("Account disabled"));
    }

    @Test
    void aClientAdminCannotRemoveThemselvesThroughTheApi() {
        String clientId = newClient("people-own");
        String email = "keeper." + UUID.randomUUID() + "@contoso.example";
        String personId = create(people(clientId), invitation(email, "client-admin"));
        String token = TestRealm.acceptInvitation(personId, email);

        Admin.as(token).when().delete(people(clientId) + "/" + personId)
                .then().statusCode(409)
                .body("detail", equalTo("You cannot remove yourself; another admin of people-own can."));
        assertThat(TestRealm.user(personId).getBoolean("enabled")).isTrue();
    }

    private static Map<String, String> invitation(String email, String role) {
        return Map.of("email", email, "firstName", "Grace", "lastName", "Hopper", "role", role);
    }

    private static String people(String clientId) {
        return "/admin/v1/clients/" + clientId + "/people";
    }

    private static String newClient(String slug) {
        String operatorId = create("/admin/v1/operators", Map.of("slug", slug, "name", slug, "currency", "USD"));
        create("/admin/v1/models", Map.of("operatorId", operatorId, "name", "m"));
        String planId = create("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", "Flat",
                "currency", "USD", "prices", List.of(Map.of("model", "m", "tokenKind", "input",
                        "pricePerMillion", "1.00", "effectiveFrom", TestClock.NOW.toString()))));
        return create("/admin/v1/clients", Map.of("operatorId", operatorId, "slug", slug, "name", slug,
                "currency", "USD", "timeZone", "UTC", "pricePlanId", planId));
    }
}

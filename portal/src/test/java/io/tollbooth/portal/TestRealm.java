package io.tollbooth.portal;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tollbooth.deploy.keycloak.LocalKeycloak;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Real tokens from the test JVM's Keycloak ({@link LocalKeycloakResource}): the admin automation's operator token
 * by client credentials, and tokens of people made up per test, signed in with their password.
 *
 * <p>Signing in by password stands in for the portal's login page: the realm export keeps the password grant off,
 * and {@link #person} turns it on for the portal client of this test server only.
 */
public final class TestRealm {

    private static String operatorToken;
    private static Instant operatorTokenExpires = Instant.MIN;
    private static boolean passwordGrantAllowed;

    private TestRealm() {
    }

    /** An access token of the admin CLI's service account (role operator), fetched again shortly before expiry. */
    public static synchronized String operatorToken() {
        if (Instant.now().isAfter(operatorTokenExpires)) {
            JsonPath token = given().contentType(ContentType.URLENC)
                    .formParam("grant_type", "client_credentials")
                    .formParam("client_id", LocalKeycloak.ADMIN_CLI_CLIENT)
                    .formParam("client_secret", LocalKeycloak.ADMIN_CLI_DEMO_SECRET)
                    .when().post(keycloak().tokenUrl())
                    .then().statusCode(200).extract().jsonPath();
            operatorToken = token.getString("access_token");
            operatorTokenExpires = Instant.now().plusSeconds(token.getLong("expires_in")).minus(Duration.ofSeconds(30));
        }
        return operatorToken;
    }

    /**
     * Creates an enabled person with a realm role and, unless null, the client they belong to, and returns their
     * access token, as the portal would get it when they sign in.
     */
    public static String person(String role, String clientId) {
        Credentials person = newPerson(role, clientId);
        return passwordToken(person.username(), person.password());
    }

    /** A person's sign-in name and password, as they would type them on Keycloak's login page. */
    public record Credentials(String username, String password) {
    }

    /**
     * Creates an enabled person with a realm role and, unless null, the client they belong to, and returns what
     * they sign in with.
     */
    public static Credentials newPerson(String role, String clientId) {
        String username = role + "-" + UUID.randomUUID() + "@people.example";
        String password = "pw-" + UUID.randomUUID();
        String admin = masterAdminToken();
        allowPasswordGrant(admin);

        Map<String, Object> user = new HashMap<>(Map.of("username", username, "email", username,
                "firstName", "Test", "lastName", "Person", "enabled", true, "emailVerified", true,
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))));
        if (clientId != null) {
            user.put("attributes", Map.of("tollbooth_client_id", List.of(clientId)));
        }
        String location = admin(admin).body(user).when().post(adminUrl("/users"))
                .then().statusCode(201).extract().header("Location");
        String userId = location.substring(location.lastIndexOf('/') + 1);
        Map<String, Object> realmRole = admin(admin).when().get(adminUrl("/roles/" + role))
                .then().statusCode(200).extract().as(Map.class);
        admin(admin).body(List.of(realmRole)).when().post(adminUrl("/users/" + userId + "/role-mappings/realm"))
                .then().statusCode(204);
        return new Credentials(username, password);
    }

    /** Signs a person in with their password through the portal's client and returns the access token. */
    public static String passwordToken(String username, String password) {
        return signIn(username, password).then().statusCode(200).extract().path("access_token");
    }

    /** Keycloak's answer to signing in with a password through the portal's client, whatever it is. */
    public static Response signIn(String username, String password) {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", LocalKeycloak.PORTAL_CLIENT)
                .formParam("client_secret", LocalKeycloak.PORTAL_DEMO_SECRET)
                .formParam("username", username)
                .formParam("password", password)
                .when().post(keycloak().tokenUrl());
    }

    /**
     * Lets an invited person in as if they had followed their invitation: sets their password and clears the
     * actions the invitation asked of them. Returns their access token.
     */
    public static String acceptInvitation(String userId, String username) {
        return acceptInvitation(userId, username, "pw-" + UUID.randomUUID());
    }

    /** {@link #acceptInvitation(String, String)} with the password the person chose. */
    public static String acceptInvitation(String userId, String username, String password) {
        String admin = masterAdminToken();
        allowPasswordGrant(admin);
        admin(admin).body(Map.of("type", "password", "value", password, "temporary", false))
                .when().put(adminUrl("/users/" + userId + "/reset-password")).then().statusCode(204);
        admin(admin).body(Map.of("requiredActions", List.of(), "emailVerified", true))
                .when().put(adminUrl("/users/" + userId)).then().statusCode(204);
        return passwordToken(username, password);
    }

    /** The user as Keycloak's admin API shows it, read as the master realm's administrator. */
    public static JsonPath user(String userId) {
        return admin(masterAdminToken()).when().get(adminUrl("/users/" + userId))
                .then().statusCode(200).extract().jsonPath();
    }

    /** The realm role names mapped directly to the user. */
    public static List<String> realmRoles(String userId) {
        return admin(masterAdminToken()).when().get(adminUrl("/users/" + userId + "/role-mappings/realm"))
                .then().statusCode(200).extract().jsonPath().getList("name");
    }

    /** Whether the user has a password credential. */
    public static boolean hasPassword(String userId) {
        List<String> types = admin(masterAdminToken()).when().get(adminUrl("/users/" + userId + "/credentials"))
                .then().statusCode(200).extract().jsonPath().getList("type");
        return types.contains("password");
    }

    private static synchronized void allowPasswordGrant(String admin) {
        if (passwordGrantAllowed) {
            return;
        }
        Map<String, Object> client = admin(admin).queryParam("clientId", LocalKeycloak.PORTAL_CLIENT)
                .when().get(adminUrl("/clients")).then().statusCode(200).extract().path("[0]");
        client.put("directAccessGrantsEnabled", true);
        admin(admin).body(client).when().put(adminUrl("/clients/" + client.get("id"))).then().statusCode(204);
        passwordGrantAllowed = true;
    }

    private static String masterAdminToken() {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", "admin-cli")
                .formParam("username", LocalKeycloak.MASTER_ADMIN)
                .formParam("password", keycloak().adminPassword())
                .when().post(keycloak().baseUrl() + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static RequestSpecification admin(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static String adminUrl(String path) {
        return keycloak().baseUrl() + "/admin/realms/" + LocalKeycloak.REALM + path;
    }

    private static LocalKeycloak keycloak() {
        return LocalKeycloakResource.shared();
    }
}

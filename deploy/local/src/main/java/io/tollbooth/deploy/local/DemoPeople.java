package io.tollbooth.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollbooth.deploy.keycloak.LocalKeycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Invites a demo person to a client, as an operator does through the admin API, and then does for them what the
 * invitation e-mail would: chooses their password, through Keycloak's admin API as the local server's master
 * administrator. So the local stack has someone who can sign in to the client pages at once.
 */
final class DemoPeople {

    /** The demo person's password: the local Keycloak is new at every run and holds nothing else. */
    static final String DEMO_PASSWORD = "demo-only-client-admin-password";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LocalStack stack;

    DemoPeople(LocalStack stack) {
        this.stack = stack;
    }

    /** Invites {@code email} as a client admin of {@code clientId} and sets the demo password; returns the email. */
    String inviteClientAdmin(AdminApi admin, String clientId, String email, String firstName, String lastName) {
        String personId = admin.post("/clients/" + clientId + "/people", AdminApi.object()
                .put("email", email).put("firstName", firstName).put("lastName", lastName)
                .put("role", "client-admin")).get("id").asText();
        String token = masterAdminToken();
        String user = stack.keycloakUrl() + "/admin/realms/" + LocalKeycloak.REALM + "/users/" + personId;
        send(HttpRequest.newBuilder(URI.create(user + "/reset-password")), token,
                Map.of("type", "password", "value", DEMO_PASSWORD, "temporary", false));
        send(HttpRequest.newBuilder(URI.create(user)), token,
                Map.of("requiredActions", List.of(), "emailVerified", true));
        return email;
    }

    private String masterAdminToken() {
        String form = "grant_type=password&client_id=admin-cli&username=" + LocalKeycloak.MASTER_ADMIN
                + "&password=" + URLEncoder.encode(stack.keycloakAdminPassword(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(stack.keycloakUrl() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        JsonNode answer = parse(exchange(request));
        return answer.get("access_token").asText();
    }

    private void send(HttpRequest.Builder request, String token, Object body) {
        try {
            exchange(request.header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("Keycloak answered " + response.statusCode() + " to "
                        + request.method() + " " + request.uri().getPath());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Keycloak", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.tollbooth.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Access tokens of an operator's automation: the service account of a confidential Keycloak client with the
 * {@code operator} role, signed in with the client-credentials grant. A token is reused until shortly before it
 * expires, then a new one is fetched, so a long run never sends an expired one.
 */
public final class OperatorTokens implements Supplier<String> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private String token;
    private Instant renewAt = Instant.MIN;

    /**
     * @param tokenUrl the realm's token endpoint
     * @param clientId a client whose service account has the {@code operator} role
     * @param clientSecret that client's secret
     */
    public OperatorTokens(String tokenUrl, String clientId, String clientSecret) {
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    /** A valid access token, fetched anew when the last one is about to expire. */
    @Override
    public synchronized String get() {
        if (Instant.now().isAfter(renewAt)) {
            JsonNode answer = fetch();
            token = answer.get("access_token").asText();
            renewAt = Instant.now().plusSeconds(answer.get("expires_in").asLong()).minus(RENEW_BEFORE_EXPIRY);
        }
        return token;
    }

    private JsonNode fetch() {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret="
                + encode(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                // Keycloak's error JSON names the grant's problem and never echoes the secret.
                throw new IllegalStateException("Keycloak refused a token for " + clientId + ": "
                        + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Keycloak at " + tokenUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

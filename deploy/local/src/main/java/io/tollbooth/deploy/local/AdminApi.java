package io.tollbooth.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A thin client of the control plane's admin API, as an operator's automation would use it: every request carries
 * a Keycloak access token from the given source.
 */
public final class AdminApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final Supplier<String> tokens;

    /**
     * @param controlPlaneUrl the control plane's base URL
     * @param tokens gives a valid access token for each request, for example {@link OperatorTokens}
     */
    public AdminApi(String controlPlaneUrl, Supplier<String> tokens) {
        this.baseUrl = controlPlaneUrl + "/admin/v1";
        this.tokens = tokens;
    }

    /** A new JSON object to fill in as a request body. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public JsonNode post(String path, JsonNode body) {
        HttpRequest request = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return json(send(request, HttpResponse.BodyHandlers.ofString()));
    }

    public JsonNode get(String path) {
        return json(send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Downloads a binary or text resource, such as an invoice PDF or a CSV export, into {@code target}. */
    public Path download(String path, Path target) {
        return send(request(path).GET().build(), HttpResponse.BodyHandlers.ofFile(target)).body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + tokens.get());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            HttpResponse<T> response = http.send(request, handler);
            if (response.statusCode() >= 300) {
                throw new AdminApiException(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the admin API answered something that is not JSON", e);
        }
    }

    /** The admin API refused a request; the message holds its problem JSON. */
    public static final class AdminApiException extends RuntimeException {
        AdminApiException(String message) {
            super(message);
        }
    }
}

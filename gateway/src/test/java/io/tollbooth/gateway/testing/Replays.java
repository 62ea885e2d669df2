package io.tollbooth.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Registers answers with the simulator that serves as the gateway's backend: the exact bytes, content type and
 * status a request naming the replay ({@code "simulation":{"replay":name}}) is answered with.
 */
public final class Replays {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Replays() {
    }

    /** Registers {@code body} as replay {@code name}, answered 200 with {@code contentType}, in one write. */
    public static void register(String name, byte[] body, String contentType) {
        register(name, body, contentType, "");
    }

    /**
     * Registers {@code body} as replay {@code name}.
     *
     * @param query the registration's query string ({@code ?status=..&chunk_bytes=..&chunk_delay_ms=..}), or ""
     */
    public static void register(String name, byte[] body, String contentType, String query) {
        register(simulatorRoot(), name, body, contentType, query);
    }

    /** Registers {@code body} as replay {@code name} with the simulator at {@code root} (its URL without /v1). */
    public static void register(String root, String name, byte[] body, String contentType, String query) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + "/_simulator/replays/" + name
                + query)).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 204) {
                throw new IllegalStateException("replay " + name + " refused: " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The simulator's root URL, without the OpenAI {@code /v1}. */
    public static String simulatorRoot() {
        String baseUrl = ConfigProvider.getConfig().getValue(SimulatorResource.BASE_URL_KEY, String.class);
        return baseUrl.substring(0, baseUrl.length() - "/v1".length());
    }
}

package io.tollbooth.gateway.routing;

import java.net.URI;
import java.util.Optional;

/**
 * One inference server a request can be sent to, as a route of one model.
 *
 * @param name the backend's name, as usage events and logs record it
 * @param baseUrl its OpenAI API root, up to and including the version segment ({@code http://host:8000/v1})
 * @param apiKey the credential it expects, or empty for a local server that needs none
 * @param model the name this backend knows the routed model by, sent in place of the caller's alias; null to send
 *     the caller's name
 * @param maxInFlight the most requests one gateway replica sends it at once before it passes the model's requests
 *     to the next backend; null for no limit
 * @param weight its share of the model's requests when the model is routed by weight (at least 1)
 */
public record Backend(String name, URI baseUrl, Optional<String> apiKey, String model, Integer maxInFlight,
        int weight) {

    /** A backend that knows every model by the caller's name, has no in-flight limit and weight 1. */
    public Backend(String name, URI baseUrl, Optional<String> apiKey) {
        this(name, baseUrl, apiKey, null, null, 1);
    }

    /** A backend of weight 1. */
    public Backend(String name, URI baseUrl, Optional<String> apiKey, String model, Integer maxInFlight) {
        this(name, baseUrl, apiKey, model, maxInFlight, 1);
    }

    /** How replicas know this server: two operators may both call theirs "local", so its address is part of it. */
    public String key() {
        return key(name, baseUrl);
    }

    /** The {@link #key()} of the backend named {@code name} at {@code baseUrl}. */
    public static String key(String name, URI baseUrl) {
        return name + ' ' + baseUrl;
    }

    @Override
    public String toString() {
        // Never the key.
        return "Backend[" + name + " " + baseUrl + "]";
    }
}

package io.tollbooth.gateway.proxy;

import io.netty.channel.ConnectTimeoutException;
import io.tollbooth.gateway.GatewayConfig;
import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import io.tollbooth.gateway.routing.Backend;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP client of every backend: pools of keep-alive HTTP/1.1 connections on the Vert.x event loops, with the
 * request head of every proxied endpoint built once per backend.
 */
@ApplicationScoped
public class BackendClient {

    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
    private static final CharSequence X_API_KEY = HttpHeaders.createOptimized("x-api-key");
    private static final String ANTHROPIC_VERSION = "anthropic-version";
    private static final String ANTHROPIC_BETA = "anthropic-beta";
    /** The Anthropic API version sent when the caller names none; every Anthropic request must carry one. */
    private static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    /** The request head of every endpoint, per backend base URL, built once. */
    private final Map<URI, Map<ApiEndpoint, RequestOptions>> requests = new ConcurrentHashMap<>();

    BackendClient(Vertx vertx, GatewayConfig config) {
        GatewayConfig.Backend backend = config.backend();
        this.connectTimeout = backend.connectTimeout();
        this.idleTimeout = backend.idleTimeout();
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(backend.maxConnections()));
        requestsOf(new Backend(backend.name(), backend.baseUrl(), backend.apiKey()));
    }

    /**
     * A request of {@code endpoint} to {@code target}, headers set; the caller sends the body.
     *
     * @param contentType the caller's content type (a multipart form keeps its boundary), or null for JSON
     * @param callerHeaders the caller's headers, from which an Anthropic request takes its API version and betas
     */
    Future<HttpClientRequest> open(Backend target, ApiEndpoint endpoint, String requestId, String contentType,
            MultiMap callerHeaders) {
        RequestOptions options = new RequestOptions(requestsOf(target).get(endpoint))
                .putHeader(X_REQUEST_ID, requestId)
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType == null ? APPLICATION_JSON : contentType);
        if (endpoint == ApiEndpoint.MESSAGES) {
            String version = callerHeaders.get(ANTHROPIC_VERSION);
            options.putHeader(ANTHROPIC_VERSION, version == null ? DEFAULT_ANTHROPIC_VERSION : version);
            String beta = callerHeaders.get(ANTHROPIC_BETA);
            if (beta != null) {
                options.putHeader(ANTHROPIC_BETA, beta);
            }
        }
        return client.request(options);
    }

    private Map<ApiEndpoint, RequestOptions> requestsOf(Backend target) {
        return requests.computeIfAbsent(target.baseUrl(), baseUrl -> heads(target));
    }

    /** The request heads of every endpoint for {@code target}; its key, if any, goes into each. */
    private Map<ApiEndpoint, RequestOptions> heads(Backend target) {
        URI baseUrl = target.baseUrl();
        boolean ssl = "https".equalsIgnoreCase(baseUrl.getScheme());
        if (!ssl && !"http".equalsIgnoreCase(baseUrl.getScheme())) {
            throw new IllegalArgumentException("A backend's base URL must be an http or https URL: " + baseUrl);
        }
        String apiRoot = stripTrailingSlash(baseUrl.getRawPath());
        String serverRoot = apiRoot.contains("/") ? apiRoot.substring(0, apiRoot.lastIndexOf('/')) : "";
        Map<ApiEndpoint, RequestOptions> heads = new EnumMap<>(ApiEndpoint.class);
        for (ApiEndpoint endpoint : ApiEndpoint.values()) {
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(baseUrl.getHost())
                    .setPort(baseUrl.getPort() > 0 ? baseUrl.getPort() : ssl ? 443 : 80)
                    .setSsl(ssl)
                    .setURI((endpoint.nativeOllama() ? serverRoot : apiRoot) + endpoint.backendPath())
                    .setConnectTimeout(connectTimeout.toMillis())
                    .setIdleTimeout(idleTimeout.toMillis());
            target.apiKey().ifPresent(key -> {
                if (endpoint == ApiEndpoint.MESSAGES) {
                    options.putHeader(X_API_KEY, key);
                } else {
                    options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key);
                }
            });
            heads.put(endpoint, options);
        }
        return Map.copyOf(heads);
    }

    /** The caller-facing error for a backend that could not be reached or did not answer in time. */
    static GatewayException unreachable(Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
            return GatewayException.causedBy(GatewayError.BACKEND_TIMEOUT, "The model backend did not answer in "
                    + "time.", cause);
        }
        return GatewayException.causedBy(GatewayError.BACKEND_UNAVAILABLE, "The model backend could not be "
                + "reached.", cause);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    private static String stripTrailingSlash(String path) {
        if (path == null) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}

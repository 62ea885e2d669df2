package io.tollbooth.gateway.proxy;

import io.netty.channel.ConnectTimeoutException;
import io.tollbooth.gateway.GatewayConfig;
import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import io.vertx.core.Future;
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
import java.util.concurrent.TimeoutException;

/**
 * The HTTP client of the one configured OpenAI-compatible backend: a pool of keep-alive HTTP/1.1 connections on
 * the Vert.x event loops.
 */
@ApplicationScoped
public class BackendClient {

    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("x-request-id");

    private final HttpClient client;
    private final String name;
    private final RequestOptions chatCompletions;

    BackendClient(Vertx vertx, GatewayConfig config) {
        GatewayConfig.Backend backend = config.backend();
        URI baseUrl = backend.baseUrl();
        boolean ssl = "https".equalsIgnoreCase(baseUrl.getScheme());
        if (!ssl && !"http".equalsIgnoreCase(baseUrl.getScheme())) {
            throw new IllegalArgumentException("tollbooth.gateway.backend.base-url must be an http or https URL: "
                    + baseUrl);
        }
        this.name = backend.name();
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setDecompressionSupported(false)
                        .setSsl(ssl),
                new PoolOptions().setHttp1MaxSize(backend.maxConnections()));
        this.chatCompletions = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(baseUrl.getHost())
                .setPort(baseUrl.getPort() > 0 ? baseUrl.getPort() : ssl ? 443 : 80)
                .setSsl(ssl)
                .setURI(stripTrailingSlash(baseUrl.getRawPath()) + "/chat/completions")
                .setConnectTimeout(backend.connectTimeout().toMillis())
                .setIdleTimeout(backend.idleTimeout().toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
        backend.apiKey().ifPresent(key -> chatCompletions.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key));
    }

    /** The backend's name, as recorded in usage events and logs. */
    public String name() {
        return name;
    }

    /** A chat completion request to the backend, headers set; the caller sends the body. */
    Future<HttpClientRequest> openChatCompletion(String requestId) {
        RequestOptions options = new RequestOptions(chatCompletions).putHeader(X_REQUEST_ID, requestId);
        return client.request(options);
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

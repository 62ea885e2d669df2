package io.tollbooth.gateway.error;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;

/**
 * Writes the gateway's own errors in the caller's API's shape: OpenAI's
 * {@code {"error":{"message","type","param","code"}}} unless the surface says otherwise (see {@link ApiSurface}).
 */
public final class ErrorResponses {

    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

    private ErrorResponses() {
    }

    /** The OpenAI JSON body of {@code error}. */
    public static JsonObject body(GatewayException error) {
        return ApiSurface.OPENAI.body(error);
    }

    /** Answers {@code request} with {@code error} in OpenAI's shape. */
    public static void send(HttpServerRequest request, GatewayException error) {
        send(request, error, ApiSurface.OPENAI);
    }

    /**
     * Answers {@code request} with {@code error} in the shape of {@code surface}. A request whose body was not read
     * to its end has its connection closed after the answer, so the unread bytes are never taken for the next
     * request.
     */
    public static void send(HttpServerRequest request, GatewayException error, ApiSurface surface) {
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.setStatusCode(error.error().httpStatus()).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
        error.headers().forEach(response::putHeader);
        if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
            response.putHeader(HttpHeaders.CONNECTION, CLOSE);
        }
        response.end(surface.body(error).toBuffer());
    }
}

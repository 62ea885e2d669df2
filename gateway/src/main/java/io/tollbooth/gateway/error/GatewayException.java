package io.tollbooth.gateway.error;

import java.util.Map;

/**
 * A request the gateway refuses, answered with OpenAI's error JSON by {@link ErrorResponses}.
 *
 * <p>The message is shown to the caller: it must never contain an API key or any other secret.
 */
public final class GatewayException extends RuntimeException {

    private final GatewayError error;
    private final String param;
    private final String outcome;
    private final Map<String, String> headers;

    private GatewayException(GatewayError error, String message, String param, String outcome, Throwable cause) {
        this(error, message, param, outcome, cause, Map.of());
    }

    private GatewayException(GatewayError error, String message, String param, String outcome, Throwable cause,
            Map<String, String> headers) {
        super(message, cause, false, false);
        this.error = error;
        this.param = param;
        this.outcome = outcome;
        this.headers = headers;
    }

    /** An error with the given caller-facing message. */
    public static GatewayException of(GatewayError error, String message) {
        return new GatewayException(error, message, null, error.code(), null);
    }

    /** An error about one request field, named in OpenAI's {@code param}. */
    public static GatewayException ofParam(GatewayError error, String message, String param) {
        return new GatewayException(error, message, param, error.code(), null);
    }

    /**
     * An error whose access-log {@code outcome} is more precise than its public code, for example
     * {@code key_revoked} for an {@link GatewayError#INVALID_API_KEY}: the caller learns less than the operator.
     */
    public static GatewayException withOutcome(GatewayError error, String message, String outcome) {
        return new GatewayException(error, message, null, outcome, null);
    }

    /** An error caused by a failure the operator needs to see. */
    public static GatewayException causedBy(GatewayError error, String message, Throwable cause) {
        return new GatewayException(error, message, null, error.code(), cause);
    }

    /**
     * An error answered with extra response headers, for example a 429 with {@code Retry-After} and the
     * {@code x-ratelimit-*} headers.
     */
    public static GatewayException withHeaders(GatewayError error, String message, String outcome,
            Map<String, String> headers) {
        return new GatewayException(error, message, null, outcome, null, Map.copyOf(headers));
    }

    public GatewayError error() {
        return error;
    }

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }

    /** The {@code outcome} written to the access log. */
    public String outcome() {
        return outcome;
    }

    /** Headers the error response carries besides the usual ones; empty for most errors. */
    public Map<String, String> headers() {
        return headers;
    }
}

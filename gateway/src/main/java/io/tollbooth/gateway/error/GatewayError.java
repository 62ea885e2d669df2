package io.tollbooth.gateway.error;

/**
 * Every error the gateway answers itself, with its HTTP status and OpenAI's error {@code type} and {@code code}.
 *
 * <p>Errors the backend answers are passed through unchanged and never appear here.
 */
public enum GatewayError {

    /** No key, a malformed key, or a key that is unknown, revoked or expired. */
    INVALID_API_KEY(401, "invalid_request_error", "invalid_api_key"),
    /** The body is not a JSON object, or a required field is missing or of the wrong type. */
    INVALID_REQUEST(400, "invalid_request_error", "invalid_request_error"),
    /** The operator of the caller's client offers no model of the requested name. */
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
    /** No endpoint at this path and method. */
    UNKNOWN_URL(404, "invalid_request_error", "unknown_url"),
    /** The body is larger than {@code tollbooth.gateway.max-request-body-size}. */
    REQUEST_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
    /** A requests-per-minute or requests-in-flight limit of the key or its client is reached. */
    RATE_LIMIT_EXCEEDED(429, "requests", "rate_limit_exceeded"),
    /** A tokens-per-minute limit of the key or its client has no room for the request's worst case. */
    TOKEN_RATE_LIMIT_EXCEEDED(429, "tokens", "rate_limit_exceeded"),
    /** The budget of the client (or of the key) for the billing period has no room for the request's worst case. */
    BUDGET_EXCEEDED(429, "insufficient_quota", "budget_exceeded"),
    /** The backend refused the connection or broke it before answering. */
    BACKEND_UNAVAILABLE(502, "server_error", "backend_unavailable"),
    /** The backend did not connect or answer in time. */
    BACKEND_TIMEOUT(504, "server_error", "backend_timeout"),
    /** A dependency of the gateway itself (the database) failed. */
    SERVICE_UNAVAILABLE(503, "server_error", "service_unavailable"),
    /** A bug in the gateway. */
    INTERNAL_ERROR(500, "server_error", "internal_error");

    private final int httpStatus;
    private final String type;
    private final String code;

    GatewayError(int httpStatus, String type, String code) {
        this.httpStatus = httpStatus;
        this.type = type;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** OpenAI's {@code error.type}. */
    public String type() {
        return type;
    }

    /** OpenAI's {@code error.code}; also the {@code outcome} of the access log line. */
    public String code() {
        return code;
    }
}

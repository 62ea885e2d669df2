package io.tollbooth.simulator;

/** A request answered with an HTTP error status and OpenAI's error JSON. */
final class OpenAiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    OpenAiError(int status, String type, String message, String param, String code) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400 for a request the simulator cannot read; {@code param} names the offending field, or is null. */
    static OpenAiError invalidRequest(String message, String param) {
        return new OpenAiError(400, "invalid_request_error", message, param, null);
    }

    /** The failure a plan's {@code status} asks for, typed the way OpenAI types that status. */
    static OpenAiError simulated(int status) {
        String message = "Simulated failure with status " + status + ".";
        if (status == 429) {
            return new OpenAiError(status, "requests", message, null, "rate_limit_exceeded");
        }
        String type = status >= 500 ? "server_error" : "invalid_request_error";
        return new OpenAiError(status, type, message, null, null);
    }

    int status() {
        return status;
    }

    /** {@code {"error":{"message":...,"type":...,"param":...,"code":...}}}. */
    String toJson() {
        StringBuilder json = new StringBuilder(128).append("{\"error\":{\"message\":");
        Json.appendString(json, getMessage()).append(",\"type\":");
        Json.appendString(json, type).append(",\"param\":");
        Json.appendString(json, param).append(",\"code\":");
        return Json.appendString(json, code).append("}}").toString();
    }
}

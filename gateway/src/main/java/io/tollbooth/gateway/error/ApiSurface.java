package io.tollbooth.gateway.error;

import io.vertx.core.json.JsonObject;

/**
 * The two API surfaces the gateway serves, each with its own error JSON. Every {@link GatewayError} is mapped once
 * here per surface: OpenAI's shape carries the error's {@code type} and {@code code}; Anthropic's carries the type
 * Anthropic gives the same HTTP status.
 */
public enum ApiSurface {

    /** OpenAI's API (and Ollama's, whose clients read OpenAI's errors): {@code {"error":{message,type,param,code}}}. */
    OPENAI {
        @Override
        public JsonObject body(GatewayException error) {
            JsonObject fields = new JsonObject()
                    .put("message", error.getMessage())
                    .put("type", error.error().type())
                    .put("param", error.param())
                    .put("code", error.error().code());
            return new JsonObject().put("error", fields);
        }

        @Override
        public String missingKeyMessage() {
            return "You didn't provide an API key. You need to provide your API key in an Authorization header "
                    + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
        }
    },

    /** Anthropic's API: {@code {"type":"error","error":{"type","message"}}}. */
    ANTHROPIC {
        @Override
        public JsonObject body(GatewayException error) {
            JsonObject fields = new JsonObject()
                    .put("type", anthropicType(error.error().httpStatus()))
                    .put("message", error.getMessage());
            return new JsonObject().put("type", "error").put("error", fields);
        }

        @Override
        public String missingKeyMessage() {
            return "x-api-key header is required";
        }
    };

    /** The JSON body that answers {@code error} on this surface. */
    public abstract JsonObject body(GatewayException error);

    /** What a caller who sent no API key is told, naming the header this surface's clients use. */
    public abstract String missingKeyMessage();

    /** Anthropic's error type for an HTTP status, as its API documents them. */
    static String anthropicType(int httpStatus) {
        return switch (httpStatus) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> httpStatus >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}

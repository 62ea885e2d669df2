package io.tollbooth.gateway.limits;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The most output a request allows: {@code max_completion_tokens}, else {@code max_tokens}, else (Responses API)
 * {@code max_output_tokens}, for each of its {@code n} choices. Read in one streaming pass over the top-level
 * fields, without a tree.
 */
final class RequestedOutput {

    private static final JsonFactory JSON = new JsonFactory();

    private RequestedOutput() {
    }

    /**
     * The worst-case output tokens of {@code body}.
     *
     * @param defaultMaxTokens the cap assumed when the request sets none
     */
    static long maxOutputTokens(Buffer body, long defaultMaxTokens) {
        Long maxCompletionTokens = null;
        Long maxTokens = null;
        Long maxOutputTokens = null;
        long choices = 1;
        try (JsonParser parser = JSON.createParser(body.getBytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return defaultMaxTokens;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "max_completion_tokens" -> maxCompletionTokens = count(parser, value);
                    case "max_tokens" -> maxTokens = count(parser, value);
                    case "max_output_tokens" -> maxOutputTokens = count(parser, value);
                    case "n" -> choices = orDefault(count(parser, value), 1);
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return defaultMaxTokens;
        }
        long perChoice = maxCompletionTokens != null ? maxCompletionTokens
                : maxTokens != null ? maxTokens : orDefault(maxOutputTokens, defaultMaxTokens);
        try {
            return Math.multiplyExact(perChoice, choices);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A positive whole number, or null for anything else (the backend judges it). */
    private static Long count(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getLongValue() > 0) {
            return parser.getLongValue();
        }
        parser.skipChildren();
        return null;
    }

    private static long orDefault(Long value, long fallback) {
        return value == null ? fallback : value;
    }
}

package io.tollbooth.gateway.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Reads what metering needs from an OpenAI {@code chat.completion} object or {@code chat.completion.chunk}: the
 * model that answered, whether it has choices, its usage and, for estimates, the text it generated.
 */
final class CompletionReader {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREES = new ObjectMapper();
    private static final String[] GENERATED_TEXT_FIELDS = {"content", "reasoning_content", "reasoning", "refusal"};

    private CompletionReader() {
    }

    /**
     * The summary of one completion or chunk, read in one streaming pass without a tree; null when {@code json}
     * is not a JSON object.
     */
    static Summary summarize(Buffer json) {
        try (JsonParser parser = JSON.createParser(json.getBytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            return readSummary(parser);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Appends the text the completion or chunk generated (content, reasoning, refusal, tool-call names and
     * arguments of every choice) to {@code text}, and returns its {@code model}; null when it is not JSON.
     *
     * @param messageField {@code message} for a whole completion, {@code delta} for a chunk
     */
    static String appendGeneratedText(Buffer json, String messageField, StringBuilder text) {
        JsonNode root;
        try {
            root = TREES.readTree(json.getBytes());
        } catch (IOException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        for (JsonNode choice : root.path("choices")) {
            JsonNode message = choice.path(messageField);
            for (String field : GENERATED_TEXT_FIELDS) {
                appendText(message.path(field), text);
            }
            for (JsonNode toolCall : message.path("tool_calls")) {
                appendText(toolCall.path("function").path("name"), text);
                appendText(toolCall.path("function").path("arguments"), text);
            }
        }
        JsonNode model = root.path("model");
        return model.isTextual() ? model.asText() : null;
    }

    private static Summary readSummary(JsonParser parser) throws IOException {
        String model = null;
        boolean hasChoices = false;
        ReportedUsage usage = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("model".equals(name) && value == JsonToken.VALUE_STRING) {
                model = parser.getText();
            } else if ("choices".equals(name) && value == JsonToken.START_ARRAY) {
                hasChoices = parser.nextToken() != JsonToken.END_ARRAY;
                if (hasChoices) {
                    parser.skipChildren();
                    skipToEndOfArray(parser);
                }
            } else if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
                usage = readUsage(parser);
            } else {
                parser.skipChildren();
            }
        }
        return new Summary(model, hasChoices, usage);
    }

    private static ReportedUsage readUsage(JsonParser parser) throws IOException {
        Long prompt = null;
        Long cached = null;
        Long completion = null;
        Long reasoning = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "prompt_tokens" -> prompt = count(parser, value);
                case "completion_tokens" -> completion = count(parser, value);
                case "prompt_tokens_details" -> cached = nestedCount(parser, value, "cached_tokens");
                case "completion_tokens_details" -> reasoning = nestedCount(parser, value, "reasoning_tokens");
                default -> parser.skipChildren();
            }
        }
        return new ReportedUsage(prompt, cached, completion, reasoning);
    }

    /** The count {@code field} inside the details object the parser stands on; null when absent or null. */
    private static Long nestedCount(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        Long count = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken nested = parser.nextToken();
            if (field.equals(name)) {
                count = count(parser, nested);
            } else {
                parser.skipChildren();
            }
        }
        return count;
    }

    /** A whole-number count; null for null, a fraction or a non-number, which the backend did not count. */
    private static Long count(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double number = parser.getDoubleValue();
            return number == Math.rint(number) ? (long) number : null;
        }
        parser.skipChildren();
        return null;
    }

    private static void skipToEndOfArray(JsonParser parser) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            parser.skipChildren();
        }
    }

    private static void appendText(JsonNode node, StringBuilder text) {
        if (node.isTextual()) {
            text.append(node.asText());
        }
    }

    /**
     * What one completion or chunk says about metering.
     *
     * @param model its {@code model}, or null
     * @param hasChoices whether {@code choices} holds at least one choice
     * @param usage its usage, or null when it carries none
     */
    record Summary(String model, boolean hasChoices, ReportedUsage usage) {
    }
}

package io.tollbooth.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads a chat completion request body in one streaming pass, counting prompt tokens as it goes, so a request
 * costs no tree and no copy of its messages.
 */
final class ChatRequestParser {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_TOKENS_LIMIT = 1_000_000;
    private static final long MAX_DELAY_MS = 3_600_000;

    private ChatRequestParser() {
    }

    /** The request in {@code body}; throws {@link OpenAiError} (400) for malformed JSON or invalid values. */
    static ChatRequest parse(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            ChatRequest request = readRequest(parser);
            if (parser.nextToken() != null) {
                throw malformed();
            }
            return request;
        } catch (JsonProcessingException e) {
            throw malformed();
        } catch (IOException e) {
            throw malformed();
        }
    }

    private static OpenAiError malformed() {
        return OpenAiError.invalidRequest("We could not parse the JSON body of your request.", null);
    }

    private static ChatRequest readRequest(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw malformed();
        }
        if (first != JsonToken.START_OBJECT) {
            throw OpenAiError.invalidRequest("The request body must be a JSON object.", null);
        }
        String model = null;
        int promptTokens = -1;
        boolean stream = false;
        boolean includeUsage = false;
        int maxTokens = -1;
        int maxCompletionTokens = -1;
        PlanReader plan = new PlanReader();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "model" -> model = readString(parser, "model");
                case "messages" -> promptTokens = readMessages(parser);
                case "stream" -> stream = readBoolean(parser, "stream");
                case "stream_options" -> includeUsage = readIncludeUsage(parser);
                case "max_tokens" -> maxTokens = readInt(parser, "max_tokens", 1, MAX_TOKENS_LIMIT);
                case "max_completion_tokens" ->
                        maxCompletionTokens = readInt(parser, "max_completion_tokens", 1, MAX_TOKENS_LIMIT);
                case SimulationPlan.FIELD -> plan.read(parser);
                default -> parser.skipChildren();
            }
        }
        if (model == null || model.isEmpty()) {
            throw OpenAiError.invalidRequest("you must provide a model parameter", "model");
        }
        if (promptTokens < 0) {
            throw OpenAiError.invalidRequest("Missing required parameter: 'messages'.", "messages");
        }
        int cap = maxCompletionTokens >= 0 ? maxCompletionTokens : maxTokens;
        return new ChatRequest(model, promptTokens, stream, includeUsage, cap, plan.build(promptTokens));
    }

    /** The prompt tokens of the messages array; the parser stands on its START_ARRAY. */
    private static int readMessages(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw OpenAiError.invalidRequest("'messages' must be an array.", "messages");
        }
        int tokens = 0;
        int messages = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw OpenAiError.invalidRequest("Each message must be an object.", "messages");
            }
            tokens += SimulatedTokenizer.MESSAGE_OVERHEAD_TOKENS + readMessage(parser);
            messages++;
        }
        if (messages == 0) {
            throw OpenAiError.invalidRequest("'messages' must not be empty.", "messages");
        }
        return tokens;
    }

    private static int readMessage(JsonParser parser) throws IOException {
        int tokens = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("content") && value == JsonToken.VALUE_STRING) {
                tokens += countText(parser);
            } else if (name.equals("content") && value == JsonToken.START_ARRAY) {
                tokens += readContentParts(parser);
            } else {
                parser.skipChildren();
            }
        }
        return tokens;
    }

    /** Tokens of the {@code text} of each content part; parts of other types (images, audio) count nothing. */
    private static int readContentParts(JsonParser parser) throws IOException {
        int tokens = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.VALUE_STRING && name.equals("text")) {
                    tokens += countText(parser);
                } else {
                    parser.skipChildren();
                }
            }
        }
        return tokens;
    }

    private static int countText(JsonParser parser) throws IOException {
        return SimulatedTokenizer.countTokens(parser.getTextCharacters(), parser.getTextOffset(),
                parser.getTextLength());
    }

    private static boolean readIncludeUsage(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw OpenAiError.invalidRequest("'stream_options' must be an object.", "stream_options");
        }
        boolean includeUsage = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("include_usage") && value != JsonToken.VALUE_NULL) {
                includeUsage = readBoolean(parser, "stream_options.include_usage");
            } else {
                parser.skipChildren();
            }
        }
        return includeUsage;
    }

    static String readString(JsonParser parser, String param) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw OpenAiError.invalidRequest("'" + param + "' must be a string.", param);
        }
        return parser.getText();
    }

    static boolean readBoolean(JsonParser parser, String param) throws IOException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw OpenAiError.invalidRequest("'" + param + "' must be a boolean.", param);
        }
        return token == JsonToken.VALUE_TRUE;
    }

    static int readInt(JsonParser parser, String param, int min, int max) throws IOException {
        return (int) readLong(parser, param, min, max);
    }

    static long readLong(JsonParser parser, String param, long min, long max) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw OpenAiError.invalidRequest("'" + param + "' must be an integer.", param);
        }
        long value = parser.getLongValue();
        if (value < min || value > max) {
            throw OpenAiError.invalidRequest(
                    "'" + param + "' must be between " + min + " and " + max + ", got " + value + ".", param);
        }
        return value;
    }

    /** Collects the fields of the {@code simulation} object, which may come before or after the messages. */
    private static final class PlanReader {

        private int completionTokens = SimulationPlan.DEFAULT_COMPLETION_TOKENS;
        private int cachedTokens;
        private int reasoningTokens;
        private long firstTokenDelayMs;
        private long chunkDelayMs;
        private int status;
        private boolean omitUsage;
        private boolean usageOnFinishChunk;
        private String servedModel;
        private int promptTokens = SimulationPlan.COUNTED;
        private String replay;
        private boolean present;

        void read(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw OpenAiError.invalidRequest("'simulation' must be an object.", SimulationPlan.FIELD);
            }
            present = true;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_NULL) {
                    readField(parser, name);
                }
            }
        }

        private void readField(JsonParser parser, String name) throws IOException {
            String param = SimulationPlan.FIELD + "." + name;
            switch (name) {
                case "completion_tokens" -> completionTokens = readInt(parser, param, 0, MAX_TOKENS_LIMIT);
                case "cached_tokens" -> cachedTokens = readInt(parser, param, 0, MAX_TOKENS_LIMIT);
                case "reasoning_tokens" -> reasoningTokens = readInt(parser, param, 0, MAX_TOKENS_LIMIT);
                case "first_token_delay_ms" -> firstTokenDelayMs = readLong(parser, param, 0, MAX_DELAY_MS);
                case "chunk_delay_ms" -> chunkDelayMs = readLong(parser, param, 0, MAX_DELAY_MS);
                case "status" -> status = readInt(parser, param, 400, 599);
                case "omit_usage" -> omitUsage = readBoolean(parser, param);
                case "usage_on_finish_chunk" -> usageOnFinishChunk = readBoolean(parser, param);
                case "served_model" -> servedModel = readNonEmpty(parser, param);
                case "prompt_tokens" -> promptTokens = readInt(parser, param, 0, MAX_TOKENS_LIMIT);
                case "replay" -> replay = readNonEmpty(parser, param);
                default -> parser.skipChildren();
            }
        }

        static String readNonEmpty(JsonParser parser, String param) throws IOException {
            String model = readString(parser, param);
            if (model.isEmpty()) {
                throw OpenAiError.invalidRequest("'" + param + "' must not be empty.", param);
            }
            return model;
        }

        SimulationPlan build(int countedPromptTokens) {
            if (!present) {
                return SimulationPlan.DEFAULT;
            }
            int reportedPrompt = promptTokens == SimulationPlan.COUNTED ? countedPromptTokens : promptTokens;
            if (cachedTokens > reportedPrompt) {
                throw OpenAiError.invalidRequest("'simulation.cached_tokens' (" + cachedTokens
                        + ") must not exceed the prompt's " + reportedPrompt + " tokens.", "simulation.cached_tokens");
            }
            if (reasoningTokens > completionTokens) {
                throw OpenAiError.invalidRequest("'simulation.reasoning_tokens' (" + reasoningTokens
                        + ") must not exceed completion_tokens (" + completionTokens + ").",
                        "simulation.reasoning_tokens");
            }
            return new SimulationPlan(completionTokens, cachedTokens, reasoningTokens, firstTokenDelayMs,
                    chunkDelayMs, status, omitUsage, usageOnFinishChunk, servedModel, promptTokens, replay);
        }
    }
}

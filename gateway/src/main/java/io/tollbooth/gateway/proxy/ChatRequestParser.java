package io.tollbooth.gateway.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Validates a chat completion body in one streaming pass, without building a tree, and works out the bytes to
 * send to the backend.
 *
 * <p>Only the fields the gateway relies on are checked: {@code model}, {@code messages}, {@code stream} and
 * {@code stream_options}; the backend judges the rest. Duplicate keys are refused, so the gateway can never
 * authorise one {@code model} while the backend reads another.
 *
 * <p>A stream must report usage, so when the caller did not ask for it the body is spliced, byte for byte
 * elsewhere unchanged, to carry {@code "stream_options":{"include_usage":true}}.
 */
final class ChatRequestParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final byte[] STREAM_OPTIONS_FIELD = ascii("\"stream_options\":{\"include_usage\":true},");
    private static final byte[] STREAM_OPTIONS_OBJECT = ascii("{\"include_usage\":true}");
    private static final byte[] INCLUDE_USAGE_FIELD = ascii("\"include_usage\":true");
    private static final byte[] TRUE = ascii("true");

    private ChatRequestParser() {
    }

    /**
     * The request in {@code body}.
     *
     * @throws GatewayException {@link GatewayError#INVALID_REQUEST} for malformed JSON, a body that is not an
     *     object, a missing {@code model} or {@code messages}, or a field of the wrong type
     */
    static ChatRequest parse(Buffer body) {
        byte[] bytes = body.getBytes();
        Fields fields = new Fields();
        try (JsonParser parser = JSON.createParser(bytes)) {
            fields.read(parser);
            if (parser.nextToken() != null) {
                throw malformed();
            }
        } catch (JsonProcessingException e) {
            throw malformed();
        } catch (IOException e) {
            throw malformed();
        }
        fields.validate();
        boolean clientWantsUsage = fields.stream && fields.includeUsage;
        Buffer backendBody = fields.stream && !fields.includeUsage ? withUsageRequested(bytes, fields) : body;
        return new ChatRequest(fields.model, fields.stream, clientWantsUsage, body, backendBody);
    }

    private static Buffer withUsageRequested(byte[] body, Fields fields) {
        if (fields.streamOptionsOpen >= 0) {
            if (fields.includeUsageValueAt >= 0) {
                return splice(body, fields.includeUsageValueAt, fields.includeUsageValueLength, TRUE);
            }
            byte[] field = fields.streamOptionsEmpty ? INCLUDE_USAGE_FIELD : withComma(INCLUDE_USAGE_FIELD);
            return splice(body, fields.streamOptionsOpen + 1, 0, field);
        }
        if (fields.streamOptionsNullAt >= 0) {
            return splice(body, fields.streamOptionsNullAt, "null".length(), STREAM_OPTIONS_OBJECT);
        }
        return splice(body, fields.rootOpen + 1, 0, STREAM_OPTIONS_FIELD);
    }

    /** {@code body} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    private static Buffer splice(byte[] body, long at, int removed, byte[] inserted) {
        int offset = Math.toIntExact(at);
        return Buffer.buffer(body.length - removed + inserted.length)
                .appendBytes(body, 0, offset)
                .appendBytes(inserted)
                .appendBytes(body, offset + removed, body.length - offset - removed);
    }

    private static byte[] withComma(byte[] field) {
        byte[] withComma = new byte[field.length + 1];
        System.arraycopy(field, 0, withComma, 0, field.length);
        withComma[field.length] = ',';
        return withComma;
    }

    private static GatewayException malformed() {
        return GatewayException.of(GatewayError.INVALID_REQUEST, "We could not parse the JSON body of your request.");
    }

    private static GatewayException invalidType(String param, String expected) {
        return GatewayException.ofParam(GatewayError.INVALID_REQUEST,
                "Invalid type for '" + param + "': expected " + expected + ".", param);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The fields read so far, with the byte offsets a splice needs (-1 where absent). */
    private static final class Fields {

        String model;
        boolean messagesPresent;
        boolean messagesEmpty;
        boolean stream;
        boolean includeUsage;
        long rootOpen = -1;
        long streamOptionsOpen = -1;
        boolean streamOptionsEmpty = true;
        long streamOptionsNullAt = -1;
        long includeUsageValueAt = -1;
        int includeUsageValueLength;

        void read(JsonParser parser) throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed();
            }
            rootOpen = parser.currentTokenLocation().getByteOffset();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "model" -> readModel(parser, value);
                    case "messages" -> readMessages(parser, value);
                    case "stream" -> stream = readBoolean(value, "stream");
                    case "stream_options" -> readStreamOptions(parser, value);
                    default -> parser.skipChildren();
                }
            }
        }

        void validate() {
            if (model == null || model.isEmpty()) {
                throw GatewayException.ofParam(GatewayError.INVALID_REQUEST, "you must provide a model parameter",
                        "model");
            }
            if (!messagesPresent) {
                throw GatewayException.ofParam(GatewayError.INVALID_REQUEST,
                        "Missing required parameter: 'messages'.", "messages");
            }
            if (messagesEmpty) {
                throw GatewayException.ofParam(GatewayError.INVALID_REQUEST, "Invalid 'messages': empty array. "
                        + "Expected an array with minimum length 1, but got an empty array instead.", "messages");
            }
        }

        private void readModel(JsonParser parser, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                model = parser.getText();
            } else if (value != JsonToken.VALUE_NULL) {
                throw invalidType("model", "a string");
            }
        }

        private void readMessages(JsonParser parser, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return;
            }
            if (value != JsonToken.START_ARRAY) {
                throw invalidType("messages", "an array of objects");
            }
            messagesPresent = true;
            messagesEmpty = true;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                messagesEmpty = false;
                parser.skipChildren();
            }
        }

        private void readStreamOptions(JsonParser parser, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                streamOptionsNullAt = parser.currentTokenLocation().getByteOffset();
                return;
            }
            if (value != JsonToken.START_OBJECT) {
                throw invalidType("stream_options", "an object");
            }
            streamOptionsOpen = parser.currentTokenLocation().getByteOffset();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                streamOptionsEmpty = false;
                String name = parser.currentName();
                JsonToken option = parser.nextToken();
                if ("include_usage".equals(name)) {
                    readIncludeUsage(parser, option);
                } else {
                    parser.skipChildren();
                }
            }
        }

        private void readIncludeUsage(JsonParser parser, JsonToken value) {
            includeUsage = readBoolean(value, "stream_options.include_usage");
            if (!includeUsage) {
                includeUsageValueAt = parser.currentTokenLocation().getByteOffset();
                includeUsageValueLength = value == JsonToken.VALUE_FALSE ? "false".length() : "null".length();
            }
        }

        private static boolean readBoolean(JsonToken value, String param) {
            return switch (value) {
                case VALUE_TRUE -> true;
                case VALUE_FALSE, VALUE_NULL -> false;
                default -> throw invalidType(param, "a boolean");
            };
        }
    }
}

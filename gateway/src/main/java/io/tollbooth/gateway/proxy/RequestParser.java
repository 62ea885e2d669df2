package io.tollbooth.gateway.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Validates a request body in one streaming pass, without building a tree, and works out the bytes to send to the
 * backend.
 *
 * <p>Only the fields the gateway relies on are checked: {@code model}, the endpoint's required field
 * ({@code messages}, {@code prompt}, {@code input}), {@code stream} and {@code stream_options}; the backend judges
 * the rest. Duplicate keys are refused, so the gateway can never authorise one {@code model} while the backend
 * reads another. A multipart form (a transcription) is forwarded as it came; only its {@code model} and
 * {@code stream} fields are read.
 *
 * <p>A chat or completion stream must report usage, so when the caller did not ask for it the body is spliced, byte
 * for byte elsewhere unchanged, to carry {@code "stream_options":{"include_usage":true}}.
 */
final class RequestParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final byte[] STREAM_OPTIONS_FIELD = ascii("\"stream_options\":{\"include_usage\":true},");
    private static final byte[] STREAM_OPTIONS_OBJECT = ascii("{\"include_usage\":true}");
    private static final byte[] INCLUDE_USAGE_FIELD = ascii("\"include_usage\":true");
    private static final byte[] TRUE = ascii("true");
    /** The fields that make up a prompt, in any API: their bytes are the prompt's fingerprint. */
    private static final Set<String> PROMPT_FIELDS = Set.of("messages", "prompt", "input", "system", "instructions",
            "tools", "images", "suffix");

    private RequestParser() {
    }

    /** A chat completion request in {@code body}. */
    static ApiRequest parse(Buffer body) {
        return parse(ApiEndpoint.CHAT_COMPLETIONS, body, null);
    }

    /**
     * The request in {@code body}.
     *
     * @param contentType the caller's {@code Content-Type}; decides only for a multipart endpoint
     * @throws GatewayException {@link GatewayError#INVALID_REQUEST} for malformed JSON or a malformed form, a body
     *     that is not an object, a missing {@code model} or required field, or a field of the wrong type
     */
    static ApiRequest parse(ApiEndpoint endpoint, Buffer body, String contentType) {
        if (endpoint.bodyFormat() == ApiEndpoint.BodyFormat.MULTIPART) {
            return parseForm(endpoint, body, contentType);
        }
        byte[] bytes = body.getBytes();
        Fields fields = new Fields(endpoint, bytes);
        try (JsonParser parser = JSON.createParser(bytes)) {
            fields.read(parser);
            if (parser.nextToken() != null) {
                throw malformed();
            }
        } catch (IOException e) {
            throw malformed();
        }
        fields.validate();
        boolean stream = fields.stream != null ? fields.stream : endpoint.streamsByDefault();
        boolean askForUsage = endpoint.requestsUsageChunk() && stream && !fields.includeUsage;
        Buffer backendBody = askForUsage ? withUsageRequested(bytes, fields) : body;
        return new ApiRequest(fields.model, stream, stream && fields.includeUsage, body, backendBody, contentType,
                fields.fingerprint.value());
    }

    private static ApiRequest parseForm(ApiEndpoint endpoint, Buffer body, String contentType) {
        MultipartFields form = MultipartFields.read(body, contentType, "model", "stream");
        if (form == null) {
            throw GatewayException.of(GatewayError.INVALID_REQUEST,
                    "We could not parse the multipart form of your request.");
        }
        String model = form.value("model");
        if (model == null || model.isEmpty()) {
            throw GatewayException.ofParam(GatewayError.INVALID_REQUEST, "you must provide a model parameter",
                    "model");
        }
        boolean stream = "true".equalsIgnoreCase(form.value("stream"));
        return new ApiRequest(model, stream, false, body, body, contentType, 0);
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

        private final ApiEndpoint endpoint;
        private final byte[] body;
        final PromptFingerprint fingerprint = new PromptFingerprint();
        String model;
        boolean requiredPresent;
        boolean requiredEmpty;
        Boolean stream;
        boolean includeUsage;
        long rootOpen = -1;
        long streamOptionsOpen = -1;
        boolean streamOptionsEmpty = true;
        long streamOptionsNullAt = -1;
        long includeUsageValueAt = -1;
        int includeUsageValueLength;

        Fields(ApiEndpoint endpoint, byte[] body) {
            this.endpoint = endpoint;
            this.body = body;
        }

        void read(JsonParser parser) throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed();
            }
            rootOpen = parser.currentTokenLocation().getByteOffset();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                long valueStart = parser.currentTokenLocation().getByteOffset();
                switch (name) {
                    case "model" -> readModel(parser, value);
                    case "stream" -> stream = value == JsonToken.VALUE_NULL ? null : readBoolean(value, "stream");
                    case "stream_options" -> readStreamOptions(parser, value);
                    default -> readOther(parser, name, value);
                }
                if (PROMPT_FIELDS.contains(name)) {
                    fingerprint.add(name, body, valueStart, parser.currentLocation().getByteOffset());
                }
            }
        }

        void validate() {
            if (model == null || model.isEmpty()) {
                throw GatewayException.ofParam(GatewayError.INVALID_REQUEST, "you must provide a model parameter",
                        "model");
            }
            String required = endpoint.requiredField();
            if (required != null && !requiredPresent) {
                throw GatewayException.ofParam(GatewayError.INVALID_REQUEST,
                        "Missing required parameter: '" + required + "'.", required);
            }
            if (required != null && requiredEmpty) {
                throw GatewayException.ofParam(GatewayError.INVALID_REQUEST, "Invalid '" + required + "': empty "
                        + "array. Expected an array with minimum length 1, but got an empty array instead.", required);
            }
        }

        private void readModel(JsonParser parser, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                model = parser.getText();
            } else if (value != JsonToken.VALUE_NULL) {
                throw invalidType("model", "a string");
            }
        }

        /** The required field (counting an array's elements) or any other field (skipped to its end). */
        private void readOther(JsonParser parser, String name, JsonToken value) throws IOException {
            boolean required = name.equals(endpoint.requiredField());
            if (required && value == JsonToken.START_ARRAY) {
                requiredPresent = true;
                requiredEmpty = true;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    requiredEmpty = false;
                    parser.skipChildren();
                }
                return;
            }
            if (required && "messages".equals(name) && value != JsonToken.VALUE_NULL) {
                throw invalidType(name, "an array of objects");
            }
            requiredPresent |= required && value != JsonToken.VALUE_NULL;
            if (value == JsonToken.VALUE_STRING) {
                parser.finishToken();
            }
            parser.skipChildren();
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

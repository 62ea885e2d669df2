package io.tollbooth.gateway.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Puts the name a backend knows a model by into a JSON request body in place of the caller's alias, byte for byte
 * elsewhere unchanged. Only a routed alias pays for the pass it takes.
 */
final class ModelRename {

    private static final JsonFactory JSON = new JsonFactory();

    private ModelRename() {
    }

    /**
     * {@code body} with its top-level {@code model} set to {@code model}; {@code body} itself when it is not a JSON
     * object with a string {@code model} (a multipart form, which is sent as it came).
     */
    static Buffer withModel(Buffer body, String model) {
        byte[] bytes = body.getBytes();
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return body;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isModel = "model".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (isModel && value == JsonToken.VALUE_STRING) {
                    int start = Math.toIntExact(parser.currentTokenLocation().getByteOffset());
                    parser.finishToken();
                    int end = Math.toIntExact(parser.currentLocation().getByteOffset());
                    return splice(bytes, start, end, model);
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            return body;
        }
        return body;
    }

    private static Buffer splice(byte[] body, int start, int end, String model) {
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(model);
        return Buffer.buffer(body.length - (end - start) + quoted.length + 2)
                .appendBytes(body, 0, start)
                .appendByte((byte) '"')
                .appendBytes(quoted)
                .appendByte((byte) '"')
                .appendBytes(body, end, body.length - end);
    }
}

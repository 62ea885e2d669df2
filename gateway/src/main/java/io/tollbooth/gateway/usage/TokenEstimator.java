package io.tollbooth.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Counts tokens with a real BPE tokenizer (jtokkit) when a backend reports none. The model's own encoding is used
 * when jtokkit knows the model, {@code o200k_base} otherwise; for other model families the count is an
 * approximation, which is why such events say {@code usage_source=ESTIMATED}.
 *
 * <p>Used only on the usage recorder's thread: tokenizing a long prompt takes milliseconds, which an event loop
 * cannot spare.
 */
final class TokenEstimator {

    /** OpenAI's documented framing of a chat prompt: tokens per message, per name, and to prime the reply. */
    private static final int TOKENS_PER_MESSAGE = 3;
    private static final int TOKENS_PER_NAME = 1;
    private static final int TOKENS_TO_PRIME_REPLY = 3;

    private static final ObjectMapper TREES = new ObjectMapper();

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

    /** The prompt tokens of a chat completion request body: its messages with OpenAI's framing. */
    long promptTokens(Buffer requestBody, String model) {
        JsonNode messages;
        try {
            messages = TREES.readTree(requestBody.getBytes()).path("messages");
        } catch (IOException e) {
            return 0;
        }
        Encoding encoding = encodingFor(model);
        long tokens = TOKENS_TO_PRIME_REPLY;
        for (JsonNode message : messages) {
            tokens += TOKENS_PER_MESSAGE + count(encoding, message.path("role"));
            tokens += contentTokens(encoding, message.path("content"));
            if (message.path("name").isTextual()) {
                tokens += TOKENS_PER_NAME + count(encoding, message.path("name"));
            }
            for (JsonNode toolCall : message.path("tool_calls")) {
                tokens += count(encoding, toolCall.path("function").path("name"));
                tokens += count(encoding, toolCall.path("function").path("arguments"));
            }
        }
        return tokens;
    }

    /** The tokens of generated text. */
    long textTokens(String text, String model) {
        return text.isEmpty() ? 0 : encodingFor(model).countTokensOrdinary(text);
    }

    /** A string content, or the {@code text} of each part of a multi-part content; images are not counted. */
    private static long contentTokens(Encoding encoding, JsonNode content) {
        if (content.isTextual()) {
            return count(encoding, content);
        }
        long tokens = 0;
        for (JsonNode part : content) {
            tokens += count(encoding, part.path("text"));
        }
        return tokens;
    }

    private static long count(Encoding encoding, JsonNode text) {
        return text.isTextual() ? encoding.countTokensOrdinary(text.asText()) : 0;
    }

    private Encoding encodingFor(String model) {
        return registry.getEncodingForModel(model).orElseGet(() -> registry.getEncoding(EncodingType.O200K_BASE));
    }
}

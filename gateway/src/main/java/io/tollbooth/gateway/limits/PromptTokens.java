package io.tollbooth.gateway.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the prompt of a request with jtokkit before it is sent, the way the usage recorder estimates one after:
 * the model's encoding ({@code o200k_base} when jtokkit does not know the model) and OpenAI's framing of 3 tokens
 * per message, 1 per name and 3 to prime the reply. Thread-safe.
 */
final class PromptTokens {

    // TODO(#3): share the usage package's TokenEstimator once its per-API estimate is public, so admission counts
    // the prompts of every endpoint exactly as metering does.
    private static final int TOKENS_PER_MESSAGE = 3;
    private static final int TOKENS_PER_NAME = 1;
    private static final int TOKENS_TO_PRIME_REPLY = 3;

    private static final ObjectMapper TREES = new ObjectMapper();

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    private final Map<String, Encoding> loaded = new ConcurrentHashMap<>();

    /**
     * Whether counting for {@code model} is quick: its encoding is loaded. The first load reads a vocabulary of
     * hundreds of thousands of entries, which takes far too long for an event loop.
     */
    boolean ready(String model) {
        return loaded.containsKey(model);
    }

    /**
     * The prompt tokens of {@code body}, whichever API it is for: chat {@code messages} (OpenAI's and Anthropic's,
     * with a top-level {@code system}), a completion's {@code prompt}, or an embedding's or response's
     * {@code input}; 0 when it is not JSON. May load the model's encoding (slow, once).
     */
    long count(Buffer body, String model) {
        JsonNode root;
        try {
            root = TREES.readTree(body.getBytes());
        } catch (IOException e) {
            return 0;
        }
        if (root == null || !root.isObject()) {
            return 0;
        }
        Encoding encoding = loaded.computeIfAbsent(model, name -> registry.getEncodingForModel(name)
                .orElseGet(() -> registry.getEncoding(EncodingType.O200K_BASE)));
        long tokens = TOKENS_TO_PRIME_REPLY + content(encoding, root.path("system"))
                + content(encoding, root.path("prompt"));
        tokens += messages(encoding, root.path("messages"));
        JsonNode input = root.path("input");
        tokens += input.isArray() && input.size() > 0 && input.get(0).isObject()
                ? messages(encoding, input) : content(encoding, input);
        return tokens;
    }

    private static long messages(Encoding encoding, JsonNode messages) {
        long tokens = 0;
        for (JsonNode message : messages) {
            tokens += TOKENS_PER_MESSAGE + text(encoding, message.path("role"));
            tokens += content(encoding, message.path("content"));
            if (message.path("name").isTextual()) {
                tokens += TOKENS_PER_NAME + text(encoding, message.path("name"));
            }
            for (JsonNode toolCall : message.path("tool_calls")) {
                tokens += text(encoding, toolCall.path("function").path("name"));
                tokens += text(encoding, toolCall.path("function").path("arguments"));
            }
        }
        return tokens;
    }

    /** A string, or the strings of an array, or the {@code text} of each part; images and audio count nothing. */
    private static long content(Encoding encoding, JsonNode content) {
        if (content.isTextual()) {
            return text(encoding, content);
        }
        long tokens = 0;
        for (JsonNode part : content) {
            tokens += part.isTextual() ? text(encoding, part) : text(encoding, part.path("text"));
        }
        return tokens;
    }

    private static long text(Encoding encoding, JsonNode text) {
        return text.isTextual() ? encoding.countTokensOrdinary(text.asText()) : 0;
    }
}

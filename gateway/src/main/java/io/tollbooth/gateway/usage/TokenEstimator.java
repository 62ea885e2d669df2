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
 * <p>Not shared between threads; used on the usage recorder's thread, and on an event loop only when the recorder's
 * queue is full: tokenizing a long prompt takes milliseconds, which an event loop can spare only under overload.
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
        return promptTokens(MeteredApi.CHAT_COMPLETIONS, requestBody, model);
    }

    /**
     * The prompt tokens of a request body of {@code api}: the messages (with OpenAI's chat framing) and system
     * prompt of a chat, the {@code prompt} of a completion, the {@code input} of an embedding or a response. A
     * transcription's prompt is audio, which this tokenizer cannot count: 0.
     */
    long promptTokens(MeteredApi api, Buffer requestBody, String model) {
        if (api == MeteredApi.AUDIO_TRANSCRIPTIONS) {
            return 0;
        }
        JsonNode body;
        try {
            body = TREES.readTree(requestBody.getBytes());
        } catch (IOException e) {
            return 0;
        }
        if (body == null || !body.isObject()) {
            return 0;
        }
        Encoding encoding = encodingFor(model);
        return switch (api) {
            case CHAT_COMPLETIONS, OLLAMA_CHAT, MESSAGES -> chatTokens(encoding, body);
            case COMPLETIONS, OLLAMA_GENERATE -> textTokens(encoding, body.path("system"))
                    + textTokens(encoding, body.path("prompt"));
            case EMBEDDINGS, OLLAMA_EMBED -> textTokens(encoding, body.path("input"));
            case RESPONSES -> textTokens(encoding, body.path("instructions")) + responsesInput(encoding, body);
            case AUDIO_TRANSCRIPTIONS -> 0;
        };
    }

    /** The tokens of generated text. */
    long textTokens(String text, String model) {
        return text.isEmpty() ? 0 : encodingFor(model).countTokensOrdinary(text);
    }

    /** Messages with OpenAI's framing, and an Anthropic or Ollama {@code system} prompt as one more message. */
    private static long chatTokens(Encoding encoding, JsonNode body) {
        long tokens = TOKENS_TO_PRIME_REPLY;
        if (!body.path("system").isMissingNode() && !body.path("system").isNull()) {
            tokens += TOKENS_PER_MESSAGE + contentTokens(encoding, body.path("system"));
        }
        for (JsonNode message : body.path("messages")) {
            tokens += TOKENS_PER_MESSAGE + count(encoding, message.path("role"));
            tokens += contentTokens(encoding, message.path("content"));
            if (message.path("name").isTextual()) {
                tokens += TOKENS_PER_NAME + count(encoding, message.path("name"));
            }
            for (JsonNode toolCall : message.path("tool_calls")) {
                tokens += count(encoding, toolCall.path("function").path("name"));
                tokens += json(encoding, toolCall.path("function").path("arguments"));
            }
        }
        return tokens;
    }

    /** A Responses {@code input}: a string, or items whose content is a string or parts with text. */
    private static long responsesInput(Encoding encoding, JsonNode body) {
        JsonNode input = body.path("input");
        if (!input.isArray()) {
            return textTokens(encoding, input);
        }
        long tokens = 0;
        for (JsonNode item : input) {
            tokens += contentTokens(encoding, item.path("content")) + count(encoding, item.path("output"))
                    + count(encoding, item.path("arguments"));
        }
        return tokens;
    }

    /**
     * A string content, or the text of each part of a multi-part content (OpenAI's {@code text}, Anthropic's
     * {@code text} and the {@code content} of a tool result, a tool use's {@code input}); images are not counted.
     */
    private static long contentTokens(Encoding encoding, JsonNode content) {
        if (content.isTextual()) {
            return count(encoding, content);
        }
        long tokens = 0;
        for (JsonNode part : content) {
            tokens += count(encoding, part.path("text"));
            tokens += contentTokens(encoding, part.path("content"));
            tokens += json(encoding, part.path("input"));
        }
        return tokens;
    }

    /** A prompt field: a string, an array of strings, or token arrays (whose length is their count). */
    private static long textTokens(Encoding encoding, JsonNode text) {
        if (text.isTextual()) {
            return count(encoding, text);
        }
        long tokens = 0;
        for (JsonNode element : text) {
            if (element.isNumber()) {
                tokens++;
            } else if (element.isArray()) {
                tokens += textTokens(encoding, element);
            } else {
                tokens += count(encoding, element.isObject() ? element.path("text") : element);
            }
        }
        return tokens;
    }

    private static long json(Encoding encoding, JsonNode value) {
        if (value.isTextual()) {
            return count(encoding, value);
        }
        return value.isObject() && !value.isEmpty() ? encoding.countTokensOrdinary(value.toString()) : 0;
    }

    private static long count(Encoding encoding, JsonNode text) {
        return text.isTextual() ? encoding.countTokensOrdinary(text.asText()) : 0;
    }

    private Encoding encodingFor(String model) {
        return registry.getEncodingForModel(model).orElseGet(() -> registry.getEncoding(EncodingType.O200K_BASE));
    }
}

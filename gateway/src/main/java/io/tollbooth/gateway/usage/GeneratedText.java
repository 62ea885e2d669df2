package io.tollbooth.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Collects the text a backend generated, from a whole answer or from one stream event, so it can be counted when
 * the backend reports no usage. Each API puts it elsewhere; a stream's text is taken from its deltas only, never
 * again from the summary events (Responses' {@code response.completed}, a transcription's
 * {@code transcript.text.done}) that repeat it. Runs on the recorder's thread only, with a tree per document.
 */
final class GeneratedText {

    private static final ObjectMapper TREES = new ObjectMapper();
    private static final String[] MESSAGE_TEXT_FIELDS = {"content", "reasoning_content", "reasoning", "refusal",
        "thinking"};

    private GeneratedText() {
    }

    /**
     * Appends the text {@code json} generated to {@code text} and returns the model it names; null when it is not
     * a JSON object.
     */
    static String append(MeteredApi api, Buffer json, StringBuilder text) {
        JsonNode root;
        try {
            root = TREES.readTree(json.getBytes());
        } catch (IOException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        switch (api) {
            case CHAT_COMPLETIONS, COMPLETIONS -> appendChoices(root, text);
            case RESPONSES -> appendResponses(root, text);
            case MESSAGES -> appendAnthropic(root, text);
            case OLLAMA_CHAT, OLLAMA_GENERATE -> appendOllama(root, text);
            case AUDIO_TRANSCRIPTIONS -> appendTranscription(root, text);
            case EMBEDDINGS, OLLAMA_EMBED -> {
                // An embedding generates no text.
            }
        }
        return model(root);
    }

    private static void appendChoices(JsonNode root, StringBuilder text) {
        for (JsonNode choice : root.path("choices")) {
            appendText(choice.path("text"), text);
            appendMessage(choice.path("delta"), text);
            appendMessage(choice.path("message"), text);
        }
    }

    private static void appendMessage(JsonNode message, StringBuilder text) {
        for (String field : MESSAGE_TEXT_FIELDS) {
            JsonNode value = message.path(field);
            if (value.isArray()) {
                value.forEach(part -> appendText(part.path("text"), text));
            } else {
                appendText(value, text);
            }
        }
        for (JsonNode toolCall : message.path("tool_calls")) {
            appendText(toolCall.path("function").path("name"), text);
            appendJson(toolCall.path("function").path("arguments"), text);
        }
    }

    private static void appendResponses(JsonNode root, StringBuilder text) {
        if (root.has("type")) {
            appendDelta(root, text);
            return;
        }
        for (JsonNode item : root.path("output")) {
            item.path("content").forEach(part -> appendText(part.path("text"), text));
            item.path("summary").forEach(part -> appendText(part.path("text"), text));
            appendText(item.path("name"), text);
            appendText(item.path("arguments"), text);
        }
    }

    private static void appendAnthropic(JsonNode root, StringBuilder text) {
        if ("content_block_delta".equals(root.path("type").asText())) {
            JsonNode delta = root.path("delta");
            appendText(delta.path("text"), text);
            appendText(delta.path("partial_json"), text);
            appendText(delta.path("thinking"), text);
            return;
        }
        for (JsonNode block : root.path("content")) {
            appendText(block.path("text"), text);
            appendText(block.path("thinking"), text);
            appendText(block.path("name"), text);
            appendJson(block.path("input"), text);
        }
    }

    private static void appendOllama(JsonNode root, StringBuilder text) {
        appendText(root.path("response"), text);
        appendText(root.path("thinking"), text);
        appendMessage(root.path("message"), text);
    }

    private static void appendTranscription(JsonNode root, StringBuilder text) {
        if (root.has("type")) {
            appendDelta(root, text);
        } else {
            appendText(root.path("text"), text);
        }
    }

    /** The text of a stream event whose type ends in {@code .delta}. */
    private static void appendDelta(JsonNode event, StringBuilder text) {
        if (event.path("type").asText().endsWith(".delta")) {
            appendText(event.path("delta"), text);
        }
    }

    private static String model(JsonNode root) {
        for (JsonNode candidate : new JsonNode[] {root, root.path("response"), root.path("message")}) {
            if (candidate.path("model").isTextual()) {
                return candidate.path("model").asText();
            }
        }
        return null;
    }

    private static void appendText(JsonNode node, StringBuilder text) {
        if (node.isTextual()) {
            text.append(node.asText());
        }
    }

    /** Tool arguments: a JSON string as OpenAI sends them, or an object as Anthropic and Ollama do. */
    private static void appendJson(JsonNode node, StringBuilder text) {
        if (node.isTextual()) {
            text.append(node.asText());
        } else if (node.isObject() && !node.isEmpty()) {
            text.append(node);
        }
    }
}

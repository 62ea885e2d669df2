package io.tollbooth.gateway.proxy;

import io.tollbooth.gateway.error.ApiSurface;
import io.tollbooth.gateway.usage.MeteredApi;

/**
 * Every endpoint the gateway proxies, with what differs between them: where the backend serves it, which API
 * surface answers its errors, what the body must hold and how its usage is metered. The exchange itself
 * ({@link ProxyExchange}) is the same for all.
 */
enum ApiEndpoint {

    /** OpenAI chat completions; a stream always asks the backend for its usage chunk. */
    CHAT_COMPLETIONS("/v1/chat/completions", "/chat/completions", MeteredApi.CHAT_COMPLETIONS, ApiSurface.OPENAI,
            BodyFormat.JSON, "messages", false),
    /** OpenAI's legacy completions; a stream always asks the backend for its usage chunk. */
    COMPLETIONS("/v1/completions", "/completions", MeteredApi.COMPLETIONS, ApiSurface.OPENAI, BodyFormat.JSON,
            "prompt", false),
    /** OpenAI embeddings. */
    EMBEDDINGS("/v1/embeddings", "/embeddings", MeteredApi.EMBEDDINGS, ApiSurface.OPENAI, BodyFormat.JSON, "input",
            false),
    /** OpenAI's Responses API; its streams carry usage in their terminal event without being asked. */
    RESPONSES("/v1/responses", "/responses", MeteredApi.RESPONSES, ApiSurface.OPENAI, BodyFormat.JSON, null, false),
    /** OpenAI transcriptions: a multipart form, forwarded as it came. */
    AUDIO_TRANSCRIPTIONS("/v1/audio/transcriptions", "/audio/transcriptions", MeteredApi.AUDIO_TRANSCRIPTIONS,
            ApiSurface.OPENAI, BodyFormat.MULTIPART, null, false),
    /** Anthropic messages, with Anthropic's errors. */
    MESSAGES("/v1/messages", "/messages", MeteredApi.MESSAGES, ApiSurface.ANTHROPIC, BodyFormat.JSON, "messages",
            false),
    /** Ollama's native chat, which streams unless told not to; a request without messages loads the model. */
    OLLAMA_CHAT("/api/chat", "/api/chat", MeteredApi.OLLAMA_CHAT, ApiSurface.OPENAI, BodyFormat.JSON, null, true),
    /** Ollama's native generation, which streams unless told not to; no prompt loads the model. */
    OLLAMA_GENERATE("/api/generate", "/api/generate", MeteredApi.OLLAMA_GENERATE, ApiSurface.OPENAI,
            BodyFormat.JSON, null, true),
    /** Ollama's native embeddings, one or several inputs. */
    OLLAMA_EMBED("/api/embed", "/api/embed", MeteredApi.OLLAMA_EMBED, ApiSurface.OPENAI, BodyFormat.JSON, "input",
            false);

    private final String path;
    private final String backendPath;
    private final MeteredApi metered;
    private final ApiSurface surface;
    private final BodyFormat bodyFormat;
    private final String requiredField;
    private final boolean streamsByDefault;

    ApiEndpoint(String path, String backendPath, MeteredApi metered, ApiSurface surface, BodyFormat bodyFormat,
            String requiredField, boolean streamsByDefault) {
        this.path = path;
        this.backendPath = backendPath;
        this.metered = metered;
        this.surface = surface;
        this.bodyFormat = bodyFormat;
        this.requiredField = requiredField;
        this.streamsByDefault = streamsByDefault;
    }

    /** The gateway's path. */
    String path() {
        return path;
    }

    /**
     * The backend's path: after the base URL's OpenAI root for the OpenAI and Anthropic APIs, after the base URL's
     * parent (the server's root) for Ollama's native API.
     */
    String backendPath() {
        return backendPath;
    }

    /** Whether the backend path is Ollama's native one, outside the OpenAI root. */
    boolean nativeOllama() {
        return metered == MeteredApi.OLLAMA_CHAT || metered == MeteredApi.OLLAMA_GENERATE
                || metered == MeteredApi.OLLAMA_EMBED;
    }

    /** How usage of this endpoint is metered. */
    MeteredApi metered() {
        return metered;
    }

    /** Whose error JSON answers the gateway's own refusals. */
    ApiSurface surface() {
        return surface;
    }

    BodyFormat bodyFormat() {
        return bodyFormat;
    }

    /** The body field besides {@code model} that must be present (and, as an array, not empty), or null. */
    String requiredField() {
        return requiredField;
    }

    /** Whether a body without {@code stream} asks for a stream (Ollama's native API). */
    boolean streamsByDefault() {
        return streamsByDefault;
    }

    /** Whether a stream of this endpoint always asks the backend for usage, with {@code stream_options}. */
    boolean requestsUsageChunk() {
        return metered.usageChunkRequested();
    }

    /** How a request body is encoded. */
    enum BodyFormat {
        /** A JSON object, validated in one streaming pass. */
        JSON,
        /** A {@code multipart/form-data} form, forwarded byte for byte. */
        MULTIPART
    }
}

package io.tollbooth.gateway.usage;

/**
 * The API operations the gateway meters, each with what metering must know about its shape: its name in usage
 * events, how its backend counts the prompt, whether it generates output and whether the gateway asks its streams
 * for a usage chunk the caller may not want.
 */
public enum MeteredApi {

    /** OpenAI {@code /v1/chat/completions}, also as served by vLLM, Ollama's {@code /v1}, llama.cpp and mlx. */
    CHAT_COMPLETIONS("chat.completions", true, false, true),
    /** OpenAI's legacy {@code /v1/completions}. */
    COMPLETIONS("completions", true, false, true),
    /** OpenAI {@code /v1/embeddings}: a prompt and no output. */
    EMBEDDINGS("embeddings", false, false, false),
    /** OpenAI {@code /v1/responses}; a stream reports usage only in its terminal {@code response.*} event. */
    RESPONSES("responses", true, false, false),
    /** OpenAI {@code /v1/audio/transcriptions}, metered by the tokens or the audio seconds the backend reports. */
    AUDIO_TRANSCRIPTIONS("audio.transcriptions", true, false, false),
    /** Anthropic {@code /v1/messages}, whose {@code input_tokens} leave out cache reads and cache writes. */
    MESSAGES("messages", true, true, false),
    /** Ollama's native {@code /api/chat} ({@code prompt_eval_count}, {@code eval_count}; NDJSON streams). */
    OLLAMA_CHAT("ollama.chat", true, false, false),
    /** Ollama's native {@code /api/generate}. */
    OLLAMA_GENERATE("ollama.generate", true, false, false),
    /** Ollama's native {@code /api/embed}: {@code prompt_eval_count} and no output. */
    OLLAMA_EMBED("ollama.embed", false, false, false);

    private final String eventName;
    private final boolean generatesOutput;
    private final boolean promptExcludesCache;
    private final boolean usageChunkRequested;

    MeteredApi(String eventName, boolean generatesOutput, boolean promptExcludesCache,
            boolean usageChunkRequested) {
        this.eventName = eventName;
        this.generatesOutput = generatesOutput;
        this.promptExcludesCache = promptExcludesCache;
        this.usageChunkRequested = usageChunkRequested;
    }

    /** The operation's name in usage events ({@code endpoint}), for example {@code chat.completions}. */
    public String eventName() {
        return eventName;
    }

    /** Whether the operation generates output tokens; an embedding's output is 0 by definition, never estimated. */
    public boolean generatesOutput() {
        return generatesOutput;
    }

    /**
     * Whether the backend's prompt count leaves out cached and cache-written tokens (Anthropic's
     * {@code input_tokens}) rather than including them (OpenAI's {@code prompt_tokens}).
     */
    public boolean promptExcludesCache() {
        return promptExcludesCache;
    }

    /**
     * Whether the gateway asks every stream of this operation for its usage chunk
     * ({@code stream_options.include_usage}), so that chunk is withheld from a caller who did not ask for it.
     */
    public boolean usageChunkRequested() {
        return usageChunkRequested;
    }
}

package io.tollbooth.simulator;

/**
 * The simulated answer to one request and its rendering in OpenAI's JSON: the whole {@code chat.completion}
 * object, or the {@code chat.completion.chunk} events of a stream, step by step.
 *
 * <p>Stream steps, in order: the role chunk, one chunk per content token, the finish chunk, the usage chunk
 * (only when usage is streamed separately) and {@code data: [DONE]}.
 */
final class ChatCompletion {

    private static final String[] WORDS = {
        "Tollbooth", "simulates", "a", "deterministic", "answer", "with", "one", "word", "for", "every", "token",
        "it", "streams", "to", "the", "caller",
    };
    /** The JSON string of each word as a later content token, with its leading space. */
    private static final String[] CONTENT_JSON = contentJson();
    /** The JSON string of the first content token, which has no leading space. */
    private static final String FIRST_CONTENT_JSON = Json.appendString(new StringBuilder(), WORDS[0]).toString();
    private static final String FINGERPRINT = "fp_tollbooth_sim";
    private static final String ROLE_CHOICE = "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
            + "\"logprobs\":null,\"finish_reason\":null}";
    private static final String CONTENT_CHOICE_START = "{\"index\":0,\"delta\":{\"content\":";
    private static final String CONTENT_CHOICE_END = "},\"logprobs\":null,\"finish_reason\":null}";
    private static final String FINISH_STOP_CHOICE =
            "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}";
    private static final String FINISH_LENGTH_CHOICE =
            "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"length\"}";

    private final String id;
    private final long created;
    private final String modelJson;
    private final int promptTokens;
    private final int completionTokens;
    private final int cachedTokens;
    private final int reasoningTokens;
    private final String finishReason;
    private final String finishChoice;
    private final boolean usageInStream;
    private final boolean usageOnFinishChunk;
    private final boolean usageInBody;
    private final long firstTokenDelayMs;
    private final long chunkDelayMs;
    private String chunkPrefix;

    ChatCompletion(String id, long createdEpochSeconds, ChatRequest request) {
        SimulationPlan plan = request.plan();
        this.id = id;
        this.created = createdEpochSeconds;
        this.modelJson = Json.appendString(new StringBuilder(),
                plan.servedModel() != null ? plan.servedModel() : request.model()).toString();
        this.promptTokens = plan.promptTokens() == SimulationPlan.COUNTED ? request.promptTokens()
                : plan.promptTokens();
        boolean capped = request.maxTokens() >= 0 && request.maxTokens() < plan.completionTokens();
        this.completionTokens = capped ? request.maxTokens() : plan.completionTokens();
        this.cachedTokens = plan.cachedTokens();
        this.reasoningTokens = Math.min(plan.reasoningTokens(), completionTokens);
        this.finishReason = capped ? "length" : "stop";
        this.finishChoice = capped ? FINISH_LENGTH_CHOICE : FINISH_STOP_CHOICE;
        this.usageInBody = !plan.omitUsage();
        this.usageInStream = request.includeUsage() && !plan.omitUsage();
        this.usageOnFinishChunk = usageInStream && plan.usageOnFinishChunk();
        this.firstTokenDelayMs = plan.firstTokenDelayMs();
        this.chunkDelayMs = plan.chunkDelayMs();
    }

    String id() {
        return id;
    }

    int completionTokens() {
        return completionTokens;
    }

    /** Visible content tokens: every generated token that is not reasoning. */
    int contentTokens() {
        return completionTokens - reasoningTokens;
    }

    /** The content of the answer: one word per content token, separated by single spaces. */
    static String content(int tokens) {
        StringBuilder content = new StringBuilder(tokens * 8);
        for (int i = 0; i < tokens; i++) {
            content.append(i == 0 ? "" : " ").append(WORDS[i % WORDS.length]);
        }
        return content.toString();
    }

    /** The non-streaming {@code chat.completion} object. */
    String toJson() {
        StringBuilder json = new StringBuilder(512);
        appendHeader(json, "chat.completion");
        json.append("{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
        Json.appendString(json, content(contentTokens()));
        json.append(",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"").append(finishReason).append("\"}]");
        if (usageInBody) {
            appendUsage(json.append(",\"usage\":"));
        }
        return json.append('}').toString();
    }

    /** Number of stream steps: role, content tokens, finish, the usage chunk if separate, and [DONE]. */
    int streamSteps() {
        return contentTokens() + (usageInStream && !usageOnFinishChunk ? 4 : 3);
    }

    /** Characters enough for any one stream step, so a builder sized by it never grows. */
    int streamStepCapacity() {
        return chunkPrefix().length() + 256;
    }

    /** Appends the server-sent event of stream step {@code step} (0-based) to {@code out}. */
    void appendStreamStep(StringBuilder out, int step) {
        int finishStep = contentTokens() + 1;
        if (step == streamSteps() - 1) {
            out.append("data: [DONE]\n\n");
            return;
        }
        out.append("data: ").append(chunkPrefix());
        if (step == 0) {
            out.append(ROLE_CHOICE);
        } else if (step < finishStep) {
            int token = step - 1;
            out.append(CONTENT_CHOICE_START)
                    .append(token == 0 ? FIRST_CONTENT_JSON : CONTENT_JSON[token % WORDS.length])
                    .append(CONTENT_CHOICE_END);
        } else if (step == finishStep) {
            out.append(finishChoice);
        }
        out.append(']');
        boolean separateUsageChunk = step > finishStep;
        if (separateUsageChunk || step == finishStep && usageOnFinishChunk) {
            appendUsage(out.append(",\"usage\":"));
        } else if (usageInStream) {
            out.append(",\"usage\":null");
        }
        out.append("}\n\n");
    }

    /** The delay before stream step {@code step}: the first token delay, the chunk delay, or none. */
    long delayBeforeStep(int step) {
        if (step == 1) {
            return firstTokenDelayMs;
        }
        return step > 1 && step <= contentTokens() + 1 ? chunkDelayMs : 0;
    }

    /** The delay before a non-streaming answer: when the stream's finish chunk would have been sent. */
    long delayBeforeBody() {
        return firstTokenDelayMs + chunkDelayMs * contentTokens();
    }

    /** Everything a chunk holds before its choices, the same for every chunk of the stream; built once. */
    private String chunkPrefix() {
        if (chunkPrefix == null) {
            StringBuilder prefix = new StringBuilder(160);
            appendHeader(prefix, "chat.completion.chunk");
            chunkPrefix = prefix.toString();
        }
        return chunkPrefix;
    }

    private void appendHeader(StringBuilder json, String object) {
        json.append("{\"id\":\"").append(id).append("\",\"object\":\"").append(object)
                .append("\",\"created\":").append(created).append(",\"model\":").append(modelJson)
                .append(",\"system_fingerprint\":\"").append(FINGERPRINT).append("\",\"choices\":[");
    }

    private void appendUsage(StringBuilder json) {
        json.append("{\"prompt_tokens\":").append(promptTokens)
                .append(",\"completion_tokens\":").append(completionTokens)
                .append(",\"total_tokens\":").append(promptTokens + completionTokens)
                .append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(cachedTokens)
                .append("},\"completion_tokens_details\":{\"reasoning_tokens\":").append(reasoningTokens)
                .append("}}");
    }

    private static String[] contentJson() {
        String[] json = new String[WORDS.length];
        for (int i = 0; i < WORDS.length; i++) {
            json[i] = Json.appendString(new StringBuilder(), " " + WORDS[i]).toString();
        }
        return json;
    }
}

package io.tollbooth.gateway.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads what metering needs from one JSON document a backend sent (a whole answer, an SSE event's data or an NDJSON
 * line) in one streaming pass without a tree, whatever the API's shape:
 * <ul>
 *   <li>OpenAI chat, completions and embeddings (and the backends that copy them): top-level {@code usage} and
 *       {@code choices};</li>
 *   <li>Responses: top-level {@code usage} of a whole response, {@code response.usage} of a stream event;</li>
 *   <li>Anthropic: top-level {@code usage} of a whole message or a {@code message_delta}, {@code message.usage} of
 *       a {@code message_start} (preliminary: its output count is not the final one);</li>
 *   <li>Ollama's native API: top-level {@code prompt_eval_count}, {@code eval_count} and {@code done_reason};</li>
 *   <li>llama.cpp server: besides {@code usage}, a cumulative {@code timings} object ({@code prompt_n} evaluated
 *       and {@code cache_n} reused prompt tokens, {@code predicted_n} generated ones), which some builds attach to
 *       every chunk and others instead of any usage; kept apart and used only where no usage came;</li>
 *   <li>transcriptions: top-level {@code usage} with {@code type} {@code tokens} or {@code duration}.</li>
 * </ul>
 * Inside a usage object OpenAI's, the Responses API's and Anthropic's names are all understood; fields it does not
 * know (timings, {@code total_tokens}, provider extras) are skipped.
 */
final class UsageReader {

    private static final JsonFactory JSON = new JsonFactory();

    private UsageReader() {
    }

    /** The snapshot in {@code json}; null when it is not a JSON object. */
    static Snapshot read(Buffer json) {
        try (JsonParser parser = JSON.createParser(json.getBytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Snapshot.Builder snapshot = new Snapshot.Builder();
            readTopLevel(parser, snapshot);
            return snapshot.build();
        } catch (IOException e) {
            return null;
        }
    }

    private static void readTopLevel(JsonParser parser, Snapshot.Builder snapshot) throws IOException {
        Long promptEvalCount = null;
        Long evalCount = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "model" -> snapshot.model(text(parser, value));
                case "choices" -> snapshot.choicesCarrySomething = readChoicesCarrySomething(parser, value);
                case "timings" -> snapshot.timings = readTimings(parser, value);
                case "usage" -> snapshot.usage(readUsageObject(parser, value), true);
                case "response", "message" -> readNested(parser, value, snapshot, "response".equals(name));
                case "prompt_eval_count" -> promptEvalCount = count(parser, value);
                case "eval_count" -> evalCount = count(parser, value);
                case "done_reason" -> snapshot.modelLoad = isModelLoad(parser, value);
                default -> parser.skipChildren();
            }
        }
        if (promptEvalCount != null || evalCount != null) {
            snapshot.usage(new ReportedUsage(promptEvalCount, null, evalCount, null), true);
        }
    }

    /**
     * A Responses stream event's {@code response} (its usage is final) or an Anthropic {@code message_start}'s
     * {@code message} (its usage is preliminary); Ollama's {@code message} holds neither and is only skipped.
     */
    private static void readNested(JsonParser parser, JsonToken value, Snapshot.Builder snapshot, boolean isFinal)
            throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken nested = parser.nextToken();
            if ("model".equals(name)) {
                snapshot.model(text(parser, nested));
            } else if ("usage".equals(name)) {
                snapshot.usage(readUsageObject(parser, nested), isFinal);
            } else {
                parser.skipChildren();
            }
        }
    }

    private static ReportedUsage readUsageObject(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        UsageFields fields = new UsageFields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            fields.read(parser, parser.currentName(), parser.nextToken());
        }
        return fields.build();
    }

    /**
     * Whether a {@code choices} array carries anything for the caller: a choice with a delta, message or text that
     * is not empty, a finish reason or logprobs. A usage chunk's {@code []}, or {@code [{"index":0,"delta":{}}]} as
     * some servers send it, carries nothing.
     */
    private static boolean readChoicesCarrySomething(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return false;
        }
        boolean carries = false;
        for (JsonToken choice = parser.nextToken(); choice != JsonToken.END_ARRAY; choice = parser.nextToken()) {
            if (choice != JsonToken.START_OBJECT) {
                carries |= choice != JsonToken.VALUE_NULL;
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean index = "index".equals(parser.currentName());
                JsonToken member = parser.nextToken();
                if (index) {
                    parser.skipChildren();
                } else {
                    carries |= !readBlank(parser, member);
                }
            }
        }
        return carries;
    }

    /** Whether a value is null, or an object or array of nothing but such values; reads it to its end. */
    private static boolean readBlank(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return true;
        }
        if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
            return false;
        }
        boolean blank = true;
        JsonToken end = value == JsonToken.START_OBJECT ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
        for (JsonToken next = parser.nextToken(); next != end; next = parser.nextToken()) {
            if (next != JsonToken.FIELD_NAME) {
                blank &= readBlank(parser, next);
            }
        }
        return blank;
    }

    /** llama.cpp's cumulative {@code timings}: every prompt token ({@code prompt_n + cache_n}) and the output. */
    private static ReportedUsage readTimings(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        Long evaluated = null;
        Long reused = null;
        Long predicted = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken count = parser.nextToken();
            switch (name) {
                case "prompt_n" -> evaluated = count(parser, count);
                case "cache_n" -> reused = count(parser, count);
                case "predicted_n" -> predicted = count(parser, count);
                default -> parser.skipChildren();
            }
        }
        if (evaluated == null && predicted == null) {
            return null;
        }
        long cached = reused == null ? 0 : reused;
        Long prompt = evaluated == null ? null : evaluated + cached;
        return new ReportedUsage(prompt, reused, predicted, null);
    }

    private static boolean isModelLoad(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            parser.skipChildren();
            return false;
        }
        String reason = parser.getText();
        return "load".equals(reason) || "unload".equals(reason);
    }

    /** A string value, or null (after skipping it) for any other value. */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /** A whole-number count; null for null, a fraction or a non-number, which the backend did not count. */
    static Long count(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double number = parser.getDoubleValue();
            return number == Math.rint(number) ? (long) number : null;
        }
        parser.skipChildren();
        return null;
    }

    private static BigDecimal decimal(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDecimalValue();
        }
        parser.skipChildren();
        return null;
    }

    /** The counters of one usage object, under any of the names the APIs give them. */
    private static final class UsageFields {

        private Long prompt;
        private Long completion;
        private Long cachedInDetails;
        private Long cachedAtTop;
        private Long cacheWriteInDetails;
        private Long cacheWriteAtTop;
        private Long reasoning;
        private String type;
        private BigDecimal seconds;
        private BigDecimal cost;

        void read(JsonParser parser, String name, JsonToken value) throws IOException {
            switch (name) {
                case "prompt_tokens", "input_tokens" -> prompt = count(parser, value);
                case "completion_tokens", "output_tokens" -> completion = count(parser, value);
                case "prompt_tokens_details", "input_tokens_details", "input_token_details" ->
                        readPromptDetails(parser, value);
                case "completion_tokens_details", "output_tokens_details", "output_token_details" ->
                        readCompletionDetails(parser, value);
                case "cache_read_input_tokens" -> cachedAtTop = count(parser, value);
                case "cache_creation_input_tokens" -> cacheWriteAtTop = count(parser, value);
                case "type" -> type = text(parser, value);
                case "seconds" -> seconds = decimal(parser, value);
                case "cost" -> cost = decimal(parser, value);
                default -> parser.skipChildren();
            }
        }

        ReportedUsage build() {
            // An audio transcription billed by time reports seconds, and no tokens.
            BigDecimal audioSeconds = "duration".equals(type) || seconds != null && prompt == null ? seconds : null;
            return new ReportedUsage(prompt, cachedInDetails != null ? cachedInDetails : cachedAtTop,
                    cacheWriteInDetails != null ? cacheWriteInDetails : cacheWriteAtTop, completion, reasoning,
                    audioSeconds, cost);
        }

        private void readPromptDetails(JsonParser parser, JsonToken value) throws IOException {
            if (value != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken nested = parser.nextToken();
                switch (name) {
                    case "cached_tokens" -> cachedInDetails = count(parser, nested);
                    case "cache_write_tokens", "cache_creation_tokens" -> cacheWriteInDetails = count(parser, nested);
                    default -> parser.skipChildren();
                }
            }
        }

        private void readCompletionDetails(JsonParser parser, JsonToken value) throws IOException {
            if (value != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken nested = parser.nextToken();
                if ("reasoning_tokens".equals(name) || "thinking_tokens".equals(name)) {
                    reasoning = count(parser, nested);
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    /**
     * What one document says about metering.
     *
     * @param model the model that answered, or null
     * @param choicesCarrySomething whether its {@code choices} carry anything for the caller (see
     *     {@link #readChoicesCarrySomething}); false for a usage-only chunk
     * @param usage its usage snapshot (several in one document are merged, latest counter wins), or null
     * @param finalUsage whether {@code usage} is a final count; false for Anthropic's {@code message_start}, whose
     *     output count is only the first token's
     * @param modelLoad whether it is Ollama's answer to a model load or unload ({@code done_reason} {@code load}
     *     or {@code unload}), which nobody is billed for
     * @param timings the counts of llama.cpp's cumulative {@code timings}, or null; a fallback for when no usage
     *     ever comes, each a complete count of the request so far
     */
    record Snapshot(String model, boolean choicesCarrySomething, ReportedUsage usage, boolean finalUsage,
            boolean modelLoad, ReportedUsage timings) {

        /** Collects a snapshot as the reader meets its fields. */
        static final class Builder {

            private String model;
            private boolean choicesCarrySomething;
            private ReportedUsage usage;
            private ReportedUsage timings;
            private boolean finalUsage;
            private boolean modelLoad;

            void model(String name) {
                if (name != null) {
                    model = name;
                }
            }

            void usage(ReportedUsage reported, boolean isFinal) {
                if (reported != null) {
                    usage = usage == null ? reported : usage.updatedBy(reported);
                    finalUsage |= isFinal;
                }
            }

            Snapshot build() {
                return new Snapshot(model, choicesCarrySomething, usage, finalUsage, modelLoad, timings);
            }
        }
    }
}

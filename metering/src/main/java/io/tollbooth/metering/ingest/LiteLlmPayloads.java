package io.tollbooth.metering.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns LiteLLM's standard logging payloads (what its generic logging callback posts) into usage events, so that
 * an operator who keeps LiteLLM as the gateway can rate and invoice with Tollbooth.
 *
 * <p>Tokens come from {@code metadata.usage_object} when present, else from the payload's own counts. LiteLLM's
 * {@code prompt_tokens} includes cache reads and cache writes, so uncached input is what remains after both;
 * {@code reasoning_tokens} are part of {@code completion_tokens}. LiteLLM's {@code response_cost} is kept for
 * information only: rating prices the tokens.
 */
public final class LiteLlmPayloads {

    /** The event source of usage that came through LiteLLM; event ids are LiteLLM's call ids. */
    public static final String SOURCE = "litellm";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** LiteLLM's string form of a time, without a zone (written in UTC). */
    private static final DateTimeFormatter NAIVE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private LiteLlmPayloads() {
    }

    /**
     * The payloads of one callback body: a JSON array ({@code log_format: json_array}), one object, or one object
     * per line ({@code ndjson}).
     *
     * @throws IngestionException when the body is none of these
     */
    public static List<JsonNode> read(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            if (text.startsWith("[")) {
                List<JsonNode> payloads = new ArrayList<>();
                JSON.readTree(text).forEach(payloads::add);
                return payloads;
            }
            List<JsonNode> payloads = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    payloads.add(JSON.readTree(line));
                }
            }
            return payloads;
        } catch (JsonProcessingException e) {
            throw new IngestionException("the body is not LiteLLM's JSON array or NDJSON of logging payloads: "
                    + e.getOriginalMessage());
        }
    }

    /**
     * The usage event of one payload, billed to {@code clientId}.
     *
     * @throws IngestionException when the payload lacks its id, model or start time
     */
    public static UsageEvent toUsageEvent(JsonNode payload, UUID clientId) {
        String id = text(payload, "id");
        String model = text(payload, "model_group");
        model = model == null ? text(payload, "model") : model;
        Instant start = time(payload.get("startTime"));
        if (id == null || model == null || start == null) {
            throw new IngestionException("a LiteLLM payload needs id, model and startTime");
        }
        Instant end = time(payload.get("endTime"));
        Instant firstToken = time(payload.get("completionStartTime"));
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, id, clientId.toString(), null, null,
                text(payload, "call_type"), model, text(payload, "model"), text(payload, "custom_llm_provider"),
                payload.path("stream").asBoolean(false), status(payload), UsageData.UsageSource.REPORTED,
                tokens(payload), millisBetween(start, end),
                firstToken == null ? null : millisBetween(start, firstToken),
                null, decimal(payload.get("response_cost")), null);
        return UsageEvent.of(SOURCE, id, start, data);
    }

    private static TokenCounts tokens(JsonNode payload) {
        JsonNode usage = payload.path("metadata").path("usage_object");
        if (!usage.isObject()) {
            usage = payload;
        }
        long prompt = usage.path("prompt_tokens").asLong(0);
        long completion = usage.path("completion_tokens").asLong(0);
        long cacheRead = Math.max(usage.path("cache_read_input_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
        long cacheWrite = Math.max(usage.path("cache_creation_input_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cache_creation_tokens").asLong(0));
        long reasoning = Math.min(completion, usage.path("completion_tokens_details").path("reasoning_tokens")
                .asLong(0));
        // Never negative: counts that do not add up leave no uncached input rather than a credit.
        long input = Math.max(0, prompt - cacheRead - cacheWrite);
        return new TokenCounts(input, cacheRead, cacheWrite, completion, reasoning);
    }

    private static UsageData.Status status(JsonNode payload) {
        return "failure".equals(text(payload, "status")) ? UsageData.Status.BACKEND_ERROR : UsageData.Status.OK;
    }

    /** A time as LiteLLM writes it: seconds since the epoch (with a fraction), or a zoneless UTC date and time. */
    private static Instant time(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            long whole = seconds.longValue();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        }
        try {
            return LocalDateTime.parse(value.asText(), NAIVE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IngestionException("unreadable LiteLLM time '" + value.asText() + "'");
        }
    }

    private static long millisBetween(Instant from, Instant to) {
        return to == null || to.isBefore(from) ? 0 : (to.toEpochMilli() - from.toEpochMilli());
    }

    private static BigDecimal decimal(JsonNode value) {
        return value == null || !value.isNumber() ? null : value.decimalValue();
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }
}

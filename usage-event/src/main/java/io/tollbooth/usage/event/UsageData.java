package io.tollbooth.usage.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The payload of a {@link UsageEvent}: who made the request, what was served, how many tokens of each kind it
 * used and how it ended.
 *
 * <p>Readers ignore fields they do not know, so fields may be added within a major version; renaming or changing
 * the meaning of a field needs a new {@link #schemaVersion()} and a new event type.
 *
 * @param schemaVersion major version of this payload; {@value #CURRENT_VERSION} today
 * @param requestId the gateway's id for the logical request; also returned to the caller as {@code x-request-id}
 * @param clientId id of the client (tenant) that owns the API key
 * @param apiKeyId id of the API key that authenticated the request
 * @param apiKeyPrefix the key's short visible prefix (never the key itself), for people reading the ledger
 * @param endpoint API operation, for example {@code chat.completions}
 * @param requestedModel the model name the caller sent; prices are looked up by this name
 * @param servedModel the model name the backend reported, when it reported one
 * @param backend name of the backend that served the request
 * @param stream whether the response was streamed
 * @param status how the request ended
 * @param usageSource whether the token counts were reported by the backend or estimated by the gateway
 * @param tokens token counts by kind
 * @param latencyMs milliseconds from the gateway receiving the request to the last byte sent to the caller
 * @param timeToFirstTokenMs milliseconds from receiving the request to the first content byte sent; null when
 *     nothing was sent
 * @param audioSeconds optional: seconds of audio the backend metered by duration (an OpenAI transcription whose
 *     {@code usage.type} is {@code duration}), for operations billed by time instead of tokens; null otherwise
 * @param reportedCost optional: the cost the backend reported next to its counts (for example OpenRouter's
 *     {@code usage.cost}), as it sent it, in its own currency and terms. For information only: rating prices the
 *     {@link #tokens()} with the client's price plan and never uses this value, zero or not. Null when none
 * @param rejectionReason optional: what was wrong with the backend's counts when {@link #status()} is
 *     {@link Status#REJECTED}, for the operator who inspects the event; null otherwise
 * @param attempts optional: every upstream call made for this one logical request, in order, when the gateway
 *     fell back from one backend to another; the last one is the one that answered. Null when there was one call.
 *     The event is still one billable request: only {@link #tokens()} are billed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsageData(
        int schemaVersion,
        String requestId,
        String clientId,
        String apiKeyId,
        String apiKeyPrefix,
        String endpoint,
        String requestedModel,
        String servedModel,
        String backend,
        boolean stream,
        Status status,
        UsageSource usageSource,
        TokenCounts tokens,
        long latencyMs,
        Long timeToFirstTokenMs,
        BigDecimal audioSeconds,
        BigDecimal reportedCost,
        String rejectionReason,
        List<UpstreamAttempt> attempts) {

    /** The payload version this class writes. */
    public static final int CURRENT_VERSION = 1;

    public UsageData {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(requestedModel, "requestedModel");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(usageSource, "usageSource");
        Objects.requireNonNull(tokens, "tokens");
        attempts = attempts == null ? null : List.copyOf(attempts);
    }

    /** A payload without the upstream attempts, for a request served by its first backend. */
    public UsageData(int schemaVersion, String requestId, String clientId, String apiKeyId, String apiKeyPrefix,
            String endpoint, String requestedModel, String servedModel, String backend, boolean stream, Status status,
            UsageSource usageSource, TokenCounts tokens, long latencyMs, Long timeToFirstTokenMs,
            BigDecimal audioSeconds, BigDecimal reportedCost, String rejectionReason) {
        this(schemaVersion, requestId, clientId, apiKeyId, apiKeyPrefix, endpoint, requestedModel, servedModel,
                backend, stream, status, usageSource, tokens, latencyMs, timeToFirstTokenMs, audioSeconds,
                reportedCost, rejectionReason, null);
    }

    /** A payload without the optional fields added after the first release of version 1. */
    public UsageData(int schemaVersion, String requestId, String clientId, String apiKeyId, String apiKeyPrefix,
            String endpoint, String requestedModel, String servedModel, String backend, boolean stream, Status status,
            UsageSource usageSource, TokenCounts tokens, long latencyMs, Long timeToFirstTokenMs) {
        this(schemaVersion, requestId, clientId, apiKeyId, apiKeyPrefix, endpoint, requestedModel, servedModel,
                backend, stream, status, usageSource, tokens, latencyMs, timeToFirstTokenMs, null, null, null, null);
    }

    /** How a metered request ended. Every status except {@link #REJECTED} carries billable tokens. */
    public enum Status {
        /** The backend answered and the whole response reached the caller. */
        OK,
        /** The caller went away before the response ended; tokens produced so far are billed. */
        CLIENT_ABORTED,
        /** The backend failed after producing output; tokens produced so far are billed. */
        BACKEND_ERROR,
        /** The backend's counts were inconsistent; the event is kept for inspection and never rated. */
        REJECTED
    }

    /** Where the token counts come from. */
    public enum UsageSource {
        /** Counted by the backend and read from its response. */
        REPORTED,
        /** Counted by the gateway because the backend reported nothing usable. */
        ESTIMATED
    }
}

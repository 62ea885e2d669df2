package io.tollbooth.gateway.usage;

import io.tollbooth.gateway.auth.AuthenticatedKey;
import io.tollbooth.usage.event.UpstreamAttempt;
import io.tollbooth.usage.event.UsageData.Status;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;

/**
 * A proxied request that is over, handed from its event loop to the {@link UsageRecorder}.
 *
 * @param requestId the gateway's request id, returned as {@code x-request-id}
 * @param arrivedAt when the request arrived, by the gateway's clock
 * @param key the key that authenticated it
 * @param api the API operation that was called
 * @param requestedModel the model the caller asked for
 * @param requestBody the caller's body, to estimate the prompt when the backend reports no usage
 * @param promptFingerprint a 64-bit print of the request's prompt (its messages, prompt or input, system prompt and
 *     tools), equal for equal prompts; 0 when it has none
 * @param stream whether the caller asked for a stream
 * @param backend the backend's name
 * @param status how the request ended (before the usage is checked)
 * @param httpStatus the status the caller was sent, or 0 when the caller left before it
 * @param latencyMs milliseconds from arrival to the last byte sent (or to the end, when the caller left)
 * @param timeToFirstTokenMs milliseconds from arrival to the first byte of the answer sent, or null
 * @param response what the backend's answer said about usage
 * @param attempts every upstream call when the request fell back from one backend to another, the last (whose
 *     backend is {@code backend}) included; null when it was served by its first backend
 */
public record FinishedRequest(String requestId, Instant arrivedAt, AuthenticatedKey key, MeteredApi api,
        String requestedModel, Buffer requestBody, long promptFingerprint, boolean stream, String backend,
        Status status, int httpStatus, long latencyMs, Long timeToFirstTokenMs, ResponseUsage response,
        List<UpstreamAttempt> attempts) {

    /** A request served by its first backend. */
    public FinishedRequest(String requestId, Instant arrivedAt, AuthenticatedKey key, MeteredApi api,
            String requestedModel, Buffer requestBody, long promptFingerprint, boolean stream, String backend,
            Status status, int httpStatus, long latencyMs, Long timeToFirstTokenMs, ResponseUsage response) {
        this(requestId, arrivedAt, key, api, requestedModel, requestBody, promptFingerprint, stream, backend, status,
                httpStatus, latencyMs, timeToFirstTokenMs, response, null);
    }

    /** The API operation's name in usage events, for example {@code chat.completions}. */
    public String endpoint() {
        return api.eventName();
    }
}

package io.tollbooth.gateway.proxy;

import io.tollbooth.gateway.GatewayConfig.ClientAbort;
import io.tollbooth.gateway.auth.AuthenticatedKey;
import io.tollbooth.gateway.error.ErrorResponses;
import io.tollbooth.gateway.error.GatewayException;
import io.tollbooth.gateway.limits.Admission;
import io.tollbooth.gateway.routing.Backend;
import io.tollbooth.gateway.routing.BackendStates;
import io.tollbooth.gateway.sse.LineSplitter;
import io.tollbooth.gateway.sse.SseEventSplitter;
import io.tollbooth.gateway.usage.FinishedRequest;
import io.tollbooth.gateway.usage.ResponseUsage;
import io.tollbooth.gateway.usage.StreamMeter;
import io.tollbooth.gateway.usage.UsageRecorder;
import io.tollbooth.gateway.usage.WholeResponse;
import io.tollbooth.usage.event.UpstreamAttempt;
import io.tollbooth.usage.event.UsageData.Status;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One authenticated request, of any endpoint, on its way through the backend and back.
 *
 * <p>Everything here runs on the request's event loop and never blocks. The backend's answer is passed on as it
 * arrives, with back-pressure both ways; a stream is cut into frames (SSE events, or the lines of Ollama's NDJSON)
 * so usage can be read and a usage chunk the caller did not ask for withheld. However the exchange ends (backend
 * end, backend failure, the caller leaving) {@link #finish} runs once and hands exactly one
 * {@link FinishedRequest} to the recorder, which settles the request's {@link Admission} once it has measured the
 * usage. When the caller leaves mid-answer, the backend is stopped, or read to its end without sending anything
 * when the gateway is configured to drain.
 *
 * <p>The request goes to its model's backends in priority order, passing over one at its in-flight limit or with an
 * open circuit breaker while another is left: when one cannot be reached or answers 5xx or 429 before anything was
 * sent to the caller, the next is tried, up to a bounded number of attempts, and the one event lists them all.
 */
final class ProxyExchange {

    private static final Logger LOG = Logger.getLogger(ProxyExchange.class);
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "x-request-id");

    private final String requestId;
    private final Instant arrivedAt;
    private final long startNanos;
    private final HttpServerRequest caller;
    private final HttpServerResponse response;
    private final AuthenticatedKey key;
    private final ApiEndpoint endpoint;
    private final ApiRequest request;
    private final BackendClient backend;
    private final BackendStates states;
    private final UsageRecorder recorder;
    private final Vertx vertx;
    private final ClientAbort clientAbort;
    private final Duration drainTimeout;
    private final Admission admission;
    private final List<Backend> candidates;
    private final int maxAttempts;
    private final List<UpstreamAttempt> attempts = new ArrayList<>(1);

    private Backend target;
    /** The index in {@code candidates} from which the next backend is chosen. */
    private int next;
    /** Whether {@code target} counts this request in flight. */
    private boolean holdingTarget;
    private HttpClientRequest backendRequest;
    private HttpClientResponse backendResponse;
    private boolean backendAccepted;
    private SseEventSplitter events;
    private LineSplitter lines;
    private StreamMeter streamMeter;
    private Buffer wholeBody;
    private long firstByteNanos = -1;
    private boolean callerGone;
    private long drainTimer = -1;
    private boolean finished;

    ProxyExchange(RequestStart start, HttpServerRequest caller, AuthenticatedKey key, ApiEndpoint endpoint,
            ApiRequest request, List<Backend> candidates, Services services, Admission admission) {
        this.requestId = start.requestId();
        this.arrivedAt = start.arrivedAt();
        this.startNanos = start.startNanos();
        this.caller = caller;
        this.response = caller.response();
        this.key = key;
        this.endpoint = endpoint;
        this.request = request;
        this.backend = services.backend();
        this.states = services.states();
        this.recorder = services.recorder();
        this.vertx = services.vertx();
        this.clientAbort = services.clientAbort();
        this.drainTimeout = services.drainTimeout();
        this.admission = admission;
        this.candidates = candidates;
        this.maxAttempts = services.maxAttempts();
    }

    void start() {
        response.closeHandler(closed -> onCallerGone());
        tryNextBackend();
    }

    /**
     * Sends the request to the next candidate backend that has room and no open breaker, or to the next one at all
     * when none is left that has.
     */
    private void tryNextBackend() {
        int chosen = next;
        while (chosen < candidates.size() && !states.available(candidates.get(chosen))) {
            chosen++;
        }
        if (chosen == candidates.size()) {
            chosen = next;
        } else if (chosen > next) {
            LOG.debugf("outcome=backends_passed_over request_id=%s passed_over=%d backend=%s", requestId,
                    chosen - next, candidates.get(chosen).name());
        }
        target = candidates.get(chosen);
        next = chosen + 1;
        states.started(target);
        holdingTarget = true;
        backendResponse = null;
        backend.open(target, endpoint, requestId, request.contentType(), caller.headers()).onComplete(opened -> {
            if (opened.succeeded()) {
                send(opened.result());
            } else {
                onBackendFailed(opened.cause());
            }
        });
    }

    private void send(HttpClientRequest sent) {
        if (finished) {
            sent.reset();
            return;
        }
        backendRequest = sent;
        Buffer body = target.model() == null ? request.backendBody()
                : ModelRename.withModel(request.backendBody(), target.model());
        sent.send(body).onComplete(answered -> {
            if (answered.succeeded()) {
                onBackendResponse(answered.result());
            } else {
                onBackendFailed(answered.cause());
            }
        });
    }

    private void onBackendResponse(HttpClientResponse answer) {
        if (finished) {
            answer.request().reset();
            return;
        }
        if (fallsBack(answer.statusCode())) {
            // Nothing reached the caller yet: read the refusal away and ask the next backend.
            int status = answer.statusCode();
            answer.body().onComplete(read -> fallBack(status, "backend_status"));
            return;
        }
        backendResponse = answer;
        backendAccepted = answer.statusCode() >= 200 && answer.statusCode() < 300;
        Framing framing = backendAccepted ? Framing.of(answer.getHeader(HttpHeaders.CONTENT_TYPE)) : Framing.WHOLE;
        switch (framing) {
            case SSE -> {
                events = new SseEventSplitter();
                streamMeter = new StreamMeter(endpoint.metered(), request.clientWantsUsage());
                answer.handler(this::onEventChunk);
            }
            case NDJSON -> {
                lines = new LineSplitter();
                streamMeter = new StreamMeter(endpoint.metered(), request.clientWantsUsage());
                answer.handler(this::onLineChunk);
            }
            case WHOLE -> {
                wholeBody = backendAccepted ? Buffer.buffer() : null;
                answer.handler(this::onBodyChunk);
            }
        }
        answer.endHandler(ended -> onBackendEnd());
        answer.exceptionHandler(this::onBackendFailed);
        if (callerGone) {
            return;
        }
        copyHead(answer, framing != Framing.WHOLE);
    }

    /** Passes on the backend's status and headers; a stream's head is sent at once, before its first frame. */
    private void copyHead(HttpClientResponse answer, boolean stream) {
        response.setStatusCode(answer.statusCode());
        for (Map.Entry<String, String> header : answer.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            boolean lengthMayChange = stream && name.equals("content-length");
            if (!NOT_FORWARDED.contains(name) && !lengthMayChange) {
                response.headers().add(header.getKey(), header.getValue());
            }
        }
        if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        if (stream) {
            response.writeHead();
        }
    }

    private void onEventChunk(Buffer chunk) {
        if (finished) {
            return;
        }
        Buffer forward = Buffer.buffer(chunk.length());
        events.feed(chunk, event -> {
            if (streamMeter.onEvent(event)) {
                forward.appendBuffer(event);
            }
        });
        write(forward);
    }

    private void onLineChunk(Buffer chunk) {
        if (finished) {
            return;
        }
        lines.feed(chunk, streamMeter::onLine);
        write(chunk);
    }

    private void onBodyChunk(Buffer chunk) {
        if (finished) {
            return;
        }
        if (wholeBody != null) {
            wholeBody.appendBuffer(chunk);
        }
        write(chunk);
    }

    private void write(Buffer bytes) {
        if (bytes.length() == 0 || callerGone || response.closed()) {
            return;
        }
        if (firstByteNanos < 0) {
            firstByteNanos = System.nanoTime();
        }
        response.write(bytes);
        if (response.writeQueueFull()) {
            backendResponse.pause();
            response.drainHandler(drained -> backendResponse.resume());
        }
    }

    private void onBackendEnd() {
        if (finished) {
            return;
        }
        Buffer unterminated = events != null ? events.finish() : lines != null ? lines.finish() : null;
        if (unterminated != null) {
            boolean forward = events != null ? streamMeter.onEvent(unterminated) : streamMeter.onLine(unterminated);
            if (forward) {
                write(unterminated);
            }
        }
        if (callerGone) {
            finish(Status.CLIENT_ABORTED);
            return;
        }
        response.end();
        finish(backendAccepted ? Status.OK : Status.BACKEND_ERROR);
    }

    private void onBackendFailed(Throwable cause) {
        if (finished) {
            return;
        }
        if (callerGone) {
            LOG.warnf("outcome=backend_failed_while_draining request_id=%s backend=%s cause=\"%s\"", requestId,
                    target.name(), cause.toString());
            finish(Status.CLIENT_ABORTED);
            return;
        }
        if (backendResponse == null && !response.headWritten() && canFallBack()) {
            fallBack(0, BackendClient.unreachable(cause).outcome());
            return;
        }
        if (response.headWritten()) {
            // A cut answer must not look whole to the caller: reset rather than end the response.
            LOG.warnf("outcome=backend_failed_mid_answer request_id=%s backend=%s cause=\"%s\"", requestId,
                    target.name(), cause.toString());
            response.reset();
        } else {
            GatewayException error = BackendClient.unreachable(cause);
            LOG.warnf("outcome=%s request_id=%s backend=%s cause=\"%s\"", error.outcome(), requestId,
                    target.name(), cause.toString());
            // The caller gets an error, not the answer: nothing is billed for it.
            wholeBody = null;
            streamMeter = null;
            response.headers().clear().add(RequestStart.X_REQUEST_ID, requestId);
            ErrorResponses.send(caller, error, endpoint.surface());
        }
        finish(Status.BACKEND_ERROR);
    }

    /** Whether an answer of {@code status} sends the request on to the next backend: 5xx or 429, if one is left. */
    private boolean fallsBack(int status) {
        return (status >= 500 || status == 429) && canFallBack();
    }

    private boolean canFallBack() {
        return !finished && !callerGone && attempts.size() + 1 < maxAttempts && next < candidates.size();
    }

    /** Notes the failed attempt and tries the next backend. */
    private void fallBack(int status, String outcome) {
        if (finished) {
            return;
        }
        LOG.warnf("outcome=backend_fallback request_id=%s backend=%s status=%d reason=%s", requestId,
                target.name(), status, outcome);
        attempts.add(new UpstreamAttempt(target.name(), status, outcome));
        releaseTarget(true);
        backendRequest = null;
        if (callerGone) {
            finish(Status.CLIENT_ABORTED);
            return;
        }
        tryNextBackend();
    }

    /**
     * The caller hung up before the answer ended. By default the backend is stopped, so it generates nothing more
     * for nobody, and the tokens so far are metered; in drain mode it is read to its end, unsent, so the event
     * carries the backend's own final counts.
     */
    private void onCallerGone() {
        if (finished || response.ended() || callerGone) {
            return;
        }
        callerGone = true;
        if (clientAbort == ClientAbort.DRAIN) {
            LOG.debugf("outcome=draining_abandoned_answer request_id=%s backend=%s", requestId, target.name());
            if (backendResponse != null) {
                backendResponse.resume();
            }
            drainTimer = vertx.setTimer(drainTimeout.toMillis(), fired -> {
                drainTimer = -1;
                stopBackend();
            });
            return;
        }
        stopBackend();
    }

    /** Meters the abandoned answer as it stands and resets the backend's stream. */
    private void stopBackend() {
        if (finished) {
            return;
        }
        finish(Status.CLIENT_ABORTED);
        if (backendRequest != null) {
            backendRequest.reset();
        }
    }

    private void finish(Status status) {
        if (finished) {
            return;
        }
        finished = true;
        releaseTarget(backendFailed());
        if (drainTimer >= 0) {
            vertx.cancelTimer(drainTimer);
        }
        long endNanos = System.nanoTime();
        Long timeToFirstTokenMs = firstByteNanos < 0 ? null : millis(firstByteNanos - startNanos);
        int sentStatus = response.headWritten() ? response.getStatusCode() : 0;
        recorder.record(new FinishedRequest(requestId, arrivedAt, key, endpoint.metered(), request.model(),
                request.body(), request.promptFingerprint(), request.stream(), target.name(), status, sentStatus,
                millis(endNanos - startNanos), timeToFirstTokenMs, responseUsage(status), allAttempts(sentStatus)),
                admission);
    }

    /** Ends the request's count at its current backend, once, telling its breaker how the backend did. */
    private void releaseTarget(boolean failed) {
        if (holdingTarget) {
            holdingTarget = false;
            states.ended(target, failed);
        }
    }

    /** Whether the current backend failed the request: it never answered, or answered 5xx or 429. */
    private boolean backendFailed() {
        if (backendResponse == null) {
            return !callerGone;
        }
        int status = backendResponse.statusCode();
        return status >= 500 || status == 429;
    }

    /** Every upstream call, the last one included, when there were several; null for a single one. */
    private List<UpstreamAttempt> allAttempts(int sentStatus) {
        if (attempts.isEmpty()) {
            return null;
        }
        List<UpstreamAttempt> all = new ArrayList<>(attempts);
        int lastStatus = backendResponse != null ? backendResponse.statusCode() : sentStatus;
        all.add(new UpstreamAttempt(target.name(), lastStatus, backendResponse != null ? "answered" : "failed"));
        return all;
    }

    private ResponseUsage responseUsage(Status status) {
        if (streamMeter != null) {
            return streamMeter;
        }
        if (wholeBody != null) {
            return new WholeResponse(endpoint.metered(), wholeBody);
        }
        return status == Status.CLIENT_ABORTED && backendResponse == null
                ? ResponseUsage.CALLER_LEFT_BEFORE_ANSWER
                : ResponseUsage.NOTHING_SERVED;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * What the exchanges of one gateway share.
     *
     * @param backend the backends' client
     * @param states what this replica knows of each backend's load and failures
     * @param recorder where finished requests go
     * @param vertx for the drain timer
     * @param clientAbort what to do when the caller hangs up
     * @param drainTimeout the longest an abandoned answer is drained
     * @param maxAttempts the most backends one request is sent to, the first included
     */
    record Services(BackendClient backend, BackendStates states, UsageRecorder recorder, Vertx vertx,
            ClientAbort clientAbort, Duration drainTimeout, int maxAttempts) {
    }

    /** How a successful answer is cut for metering. */
    private enum Framing {
        /** Server-sent events. */
        SSE,
        /** Newline-delimited JSON (Ollama's native streams). */
        NDJSON,
        /** One body, read whole for metering. */
        WHOLE;

        static Framing of(String contentType) {
            if (contentType == null) {
                return WHOLE;
            }
            if (contentType.regionMatches(true, 0, "text/event-stream", 0, 17)) {
                return SSE;
            }
            if (contentType.regionMatches(true, 0, "application/x-ndjson", 0, 20)) {
                return NDJSON;
            }
            return WHOLE;
        }
    }
}

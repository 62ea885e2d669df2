package io.tollbooth.gateway.proxy;

import io.tollbooth.gateway.auth.AuthenticatedKey;
import io.tollbooth.gateway.error.ErrorResponses;
import io.tollbooth.gateway.error.GatewayException;
import io.tollbooth.gateway.limits.Admission;
import io.tollbooth.gateway.sse.SseEventSplitter;
import io.tollbooth.gateway.usage.FinishedRequest;
import io.tollbooth.gateway.usage.ResponseUsage;
import io.tollbooth.gateway.usage.StreamMeter;
import io.tollbooth.gateway.usage.UsageRecorder;
import io.tollbooth.gateway.usage.WholeResponse;
import io.tollbooth.usage.event.UsageData.Status;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One authenticated request on its way through the backend and back.
 *
 * <p>Everything here runs on the request's event loop and never blocks. The backend's answer is passed on as it
 * arrives, with back-pressure both ways; a stream is cut into SSE events so usage can be read and a usage chunk
 * the caller did not ask for withheld. However the exchange ends (backend end, backend failure, the caller
 * leaving) {@link #finish} runs once and hands exactly one {@link FinishedRequest} to the recorder, which settles
 * the request's {@link Admission} once it has measured the usage.
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
    private final ChatRequest request;
    private final BackendClient backend;
    private final UsageRecorder recorder;
    private final Admission admission;

    private HttpClientRequest backendRequest;
    private HttpClientResponse backendResponse;
    private boolean backendAccepted;
    private SseEventSplitter splitter;
    private StreamMeter streamMeter;
    private Buffer wholeBody;
    private long firstByteNanos = -1;
    private boolean finished;

    ProxyExchange(RequestStart start, HttpServerRequest caller, AuthenticatedKey key, ChatRequest request,
            BackendClient backend, UsageRecorder recorder, Admission admission) {
        this.requestId = start.requestId();
        this.arrivedAt = start.arrivedAt();
        this.startNanos = start.startNanos();
        this.caller = caller;
        this.response = caller.response();
        this.key = key;
        this.request = request;
        this.backend = backend;
        this.recorder = recorder;
        this.admission = admission;
    }

    void start() {
        response.closeHandler(closed -> onCallerGone());
        backend.openChatCompletion(requestId).onComplete(opened -> {
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
        sent.send(request.backendBody()).onComplete(answered -> {
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
        backendResponse = answer;
        backendAccepted = answer.statusCode() >= 200 && answer.statusCode() < 300;
        boolean eventStream = backendAccepted && isEventStream(answer.getHeader(HttpHeaders.CONTENT_TYPE));
        if (eventStream) {
            splitter = new SseEventSplitter();
            streamMeter = new StreamMeter(request.clientWantsUsage());
            answer.handler(this::onStreamChunk);
        } else {
            wholeBody = backendAccepted ? Buffer.buffer() : null;
            answer.handler(this::onBodyChunk);
        }
        answer.endHandler(ended -> onBackendEnd());
        answer.exceptionHandler(this::onBackendFailed);
        copyHead(answer, eventStream);
    }

    /** Passes on the backend's status and headers; a stream's head is sent at once, before its first event. */
    private void copyHead(HttpClientResponse answer, boolean eventStream) {
        response.setStatusCode(answer.statusCode());
        for (Map.Entry<String, String> header : answer.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            boolean lengthMayChange = eventStream && name.equals("content-length");
            if (!NOT_FORWARDED.contains(name) && !lengthMayChange) {
                response.headers().add(header.getKey(), header.getValue());
            }
        }
        if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        if (eventStream) {
            response.writeHead();
        }
    }

    private void onStreamChunk(Buffer chunk) {
        if (finished) {
            return;
        }
        Buffer forward = Buffer.buffer(chunk.length());
        splitter.feed(chunk, event -> {
            if (streamMeter.onEvent(event)) {
                forward.appendBuffer(event);
            }
        });
        write(forward);
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
        if (bytes.length() == 0 || response.closed()) {
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
        if (splitter != null) {
            Buffer unterminated = splitter.finish();
            if (unterminated != null && streamMeter.onEvent(unterminated)) {
                write(unterminated);
            }
        }
        response.end();
        finish(backendAccepted ? Status.OK : Status.BACKEND_ERROR);
    }

    private void onBackendFailed(Throwable cause) {
        if (finished) {
            return;
        }
        if (response.headWritten()) {
            // A cut answer must not look whole to the caller: reset rather than end the response.
            LOG.warnf("outcome=backend_failed_mid_answer request_id=%s backend=%s cause=\"%s\"", requestId,
                    backend.name(), cause.toString());
            response.reset();
        } else {
            GatewayException error = BackendClient.unreachable(cause);
            LOG.warnf("outcome=%s request_id=%s backend=%s cause=\"%s\"", error.outcome(), requestId,
                    backend.name(), cause.toString());
            // The caller gets an error, not the answer: nothing is billed for it.
            wholeBody = null;
            response.headers().clear().add(RequestStart.X_REQUEST_ID, requestId);
            ErrorResponses.send(caller, error);
        }
        finish(Status.BACKEND_ERROR);
    }

    /**
     * The caller hung up before the answer ended: the backend is stopped, so it generates nothing more for nobody,
     * and the tokens so far are metered.
     */
    private void onCallerGone() {
        if (finished || response.ended()) {
            return;
        }
        // TODO(#3): optionally drain the backend instead, so the event carries its reported counts, not estimates.
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
        long endNanos = System.nanoTime();
        Long timeToFirstTokenMs = firstByteNanos < 0 ? null : millis(firstByteNanos - startNanos);
        int sentStatus = response.headWritten() ? response.getStatusCode() : 0;
        recorder.record(new FinishedRequest(requestId, arrivedAt, key, ChatCompletionsRoute.ENDPOINT,
                request.model(), request.body(), request.stream(), backend.name(), status, sentStatus,
                millis(endNanos - startNanos), timeToFirstTokenMs, responseUsage(status)), admission);
    }

    private ResponseUsage responseUsage(Status status) {
        if (streamMeter != null) {
            return streamMeter;
        }
        if (wholeBody != null) {
            return new WholeResponse(wholeBody);
        }
        return status == Status.CLIENT_ABORTED && backendResponse == null
                ? ResponseUsage.CALLER_LEFT_BEFORE_ANSWER
                : ResponseUsage.NOTHING_SERVED;
    }

    private static boolean isEventStream(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "text/event-stream", 0, 17);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}

package io.tollbooth.simulator;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Routes the simulator's few endpoints, answers chat completions by their plan and plays registered replays. */
final class SimulatorHandler implements Handler<HttpServerRequest> {

    private static final Logger LOG = Logger.getLogger(SimulatorHandler.class.getName());
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
    private static final Buffer HEALTH = Buffer.buffer("{\"status\":\"UP\"}");
    private static final String REPLAYS_PATH = "/_simulator/replays/";

    private final Vertx vertx;
    private final Buffer models;
    private final AtomicLong requests;
    private final Replays replays;

    /**
     * {@code requests} numbers the completion ids and {@code replays} holds the registered replays; both are shared
     * by every event loop's handler.
     */
    SimulatorHandler(Vertx vertx, AtomicLong requests, Replays replays) {
        this.vertx = vertx;
        this.requests = requests;
        this.replays = replays;
        this.models = Buffer.buffer(SimulatorServer.modelsJson());
    }

    @Override
    public void handle(HttpServerRequest request) {
        switch (request.path()) {
            case "/v1/chat/completions" -> {
                if (allow(request, HttpMethod.POST)) {
                    request.body().onSuccess(body -> chatCompletion(request.response(), body));
                }
            }
            case "/v1/models" -> {
                if (allow(request, HttpMethod.GET)) {
                    json(request.response(), 200, models);
                }
            }
            case "/health" -> {
                if (allow(request, HttpMethod.GET)) {
                    json(request.response(), 200, HEALTH);
                }
            }
            default -> other(request);
        }
    }

    /** A replay registration, a request that names a replay, or an unknown URL. */
    private void other(HttpServerRequest request) {
        if (request.path().startsWith(REPLAYS_PATH)) {
            if (allow(request, HttpMethod.PUT)) {
                request.body().onSuccess(body -> register(request, body));
            }
        } else if (request.method().equals(HttpMethod.POST)) {
            request.body().onSuccess(body -> {
                String replay = Replays.nameIn(body, request.getHeader(HttpHeaders.CONTENT_TYPE));
                if (replay == null) {
                    unknownUrl(request);
                } else {
                    replay(request.response(), replay);
                }
            });
        } else {
            unknownUrl(request);
        }
    }

    /**
     * {@code PUT /_simulator/replays/{name}}: the body is the answer's bytes and the {@code Content-Type} its
     * content type; query parameters {@code status} (default 200), {@code chunk_bytes} and {@code chunk_delay_ms}.
     */
    private void register(HttpServerRequest request, Buffer body) {
        String name = request.path().substring(REPLAYS_PATH.length());
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        try {
            if (!Replays.NAME.matcher(name).matches()) {
                throw OpenAiError.invalidRequest("A replay name is 1 to 200 of A-Z a-z 0-9 . _ -.", null);
            }
            if (contentType == null) {
                throw OpenAiError.invalidRequest("A replay needs the Content-Type to answer with.", null);
            }
            replays.register(name, new Replay(queryInt(request, "status", 200, 100, 599), contentType,
                    body.copy(), queryInt(request, "chunk_bytes", 0, 0, Integer.MAX_VALUE),
                    queryInt(request, "chunk_delay_ms", 0, 0, 3_600_000)));
        } catch (OpenAiError e) {
            error(request.response(), e);
            return;
        }
        request.response().setStatusCode(204).end();
    }

    private void replay(HttpServerResponse response, String name) {
        try {
            replays.get(name).play(vertx, response);
        } catch (OpenAiError e) {
            error(response, e);
        }
    }

    private static int queryInt(HttpServerRequest request, String name, int fallback, int min, int max) {
        String value = request.getParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw OpenAiError.invalidRequest("'" + name + "' must be an integer between " + min + " and " + max + ".",
                name);
    }

    private static void unknownUrl(HttpServerRequest request) {
        error(request.response(), new OpenAiError(404, "invalid_request_error",
                "Unknown request URL: " + request.method() + " " + request.path() + ".", null, null));
    }

    private boolean allow(HttpServerRequest request, HttpMethod method) {
        if (request.method().equals(method)) {
            return true;
        }
        error(request.response(), new OpenAiError(405, "invalid_request_error",
                "Method " + request.method() + " is not allowed on " + request.path() + ".", null, null));
        return false;
    }

    private void chatCompletion(HttpServerResponse response, Buffer body) {
        ChatRequest request;
        try {
            request = ChatRequestParser.parse(body.getBytes());
        } catch (OpenAiError e) {
            error(response, e);
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "outcome=unexpected_error", e);
            error(response, new OpenAiError(500, "server_error", "The simulator failed.", null, null));
            return;
        }
        SimulationPlan plan = request.plan();
        if (plan.replay() != null) {
            replay(response, plan.replay());
            return;
        }
        if (plan.status() != 0) {
            error(response, OpenAiError.simulated(plan.status()));
            return;
        }
        ChatCompletion completion = new ChatCompletion("chatcmpl-sim-" + requests.incrementAndGet(),
                System.currentTimeMillis() / 1000, request);
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("request_id=" + completion.id() + " model=" + request.model() + " stream=" + request.stream()
                    + " prompt_tokens=" + request.promptTokens() + " completion_tokens="
                    + completion.completionTokens());
        }
        if (request.stream()) {
            new ChatStream(vertx, response, completion).start();
        } else {
            answerWhole(response, completion);
        }
    }

    private void answerWhole(HttpServerResponse response, ChatCompletion completion) {
        Buffer body = Buffer.buffer(completion.toJson());
        long delayMs = completion.delayBeforeBody();
        if (delayMs == 0) {
            json(response, 200, body);
            return;
        }
        long timer = vertx.setTimer(delayMs, id -> {
            if (!response.closed()) {
                json(response, 200, body);
            }
        });
        response.closeHandler(v -> vertx.cancelTimer(timer));
    }

    static void error(HttpServerResponse response, OpenAiError error) {
        json(response, error.status(), Buffer.buffer(error.toJson()));
    }

    private static void json(HttpServerResponse response, int status, Buffer body) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body);
    }

    /** A stream in progress: writes the steps that are due, then waits on a timer for the next delayed one. */
    private static final class ChatStream {

        /** Steps written at most per write: small answers go out in one write, long ones stay bounded. */
        private static final int MAX_BATCH_STEPS = 64;

        private final Vertx vertx;
        private final HttpServerResponse response;
        private final ChatCompletion completion;
        private final int steps;
        private long timer = -1;

        ChatStream(Vertx vertx, HttpServerResponse response, ChatCompletion completion) {
            this.vertx = vertx;
            this.response = response;
            this.completion = completion;
            this.steps = completion.streamSteps();
        }

        void start() {
            response.setStatusCode(200).setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                    .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
            response.closeHandler(v -> {
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
            });
            emitFrom(0);
        }

        /**
         * Writes the steps from {@code first} that are due now, a batch per write, then waits for the next
         * step's delay, or for the connection to drain when the client reads slower than the stream is written.
         */
        private void emitFrom(int first) {
            int step = first;
            while (!response.closed()) {
                int next = batchEnd(step);
                if (next == steps) {
                    response.end(render(step, next));
                    return;
                }
                response.write(render(step, next));
                long delayMs = completion.delayBeforeStep(next);
                if (delayMs > 0) {
                    timer = vertx.setTimer(delayMs, id -> emitFrom(next));
                    return;
                }
                if (response.writeQueueFull()) {
                    response.drainHandler(v -> emitFrom(next));
                    return;
                }
                step = next;
            }
        }

        private Buffer render(int fromStep, int toStep) {
            StringBuilder out = new StringBuilder(completion.streamStepCapacity() * (toStep - fromStep));
            for (int step = fromStep; step < toStep; step++) {
                completion.appendStreamStep(out, step);
            }
            return Buffer.buffer(out.toString());
        }

        /** The end (exclusive) of the batch from {@code step}: the steps due with it, up to a bounded size. */
        private int batchEnd(int step) {
            int end = step + 1;
            while (end < steps && end - step < MAX_BATCH_STEPS && completion.delayBeforeStep(end) == 0) {
                end++;
            }
            return end;
        }
    }
}

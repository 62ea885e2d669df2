package io.tollbooth.simulator;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running OpenAI-compatible inference simulator: one HTTP server per event loop, all on one port.
 *
 * <p>Endpoints:
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: a chat completion, streaming ({@code "stream": true}) or not, with
 *       deterministic content and exact {@code usage}, shaped by the request's {@link SimulationPlan}. Any model
 *       name is accepted. Malformed JSON or invalid values get 400 with OpenAI's error JSON.</li>
 *   <li>{@code GET /v1/models}: the {@link #MODELS} in OpenAI's list format.</li>
 *   <li>{@code GET /health}: 200 with {@code {"status":"UP"}}.</li>
 *   <li>{@code PUT /_simulator/replays/{name}}: registers a replay, answered 204: the request body is the exact
 *       bytes to answer with and its {@code Content-Type} the content type; query parameters {@code status}
 *       (default 200), {@code chunk_bytes} (write the bytes in pieces of this size; default all at once) and
 *       {@code chunk_delay_ms} (wait between pieces). A later registration under the same name replaces it.</li>
 *   <li>Any other {@code POST} whose body names a replay in {@code simulation.replay} (a JSON body, or a
 *       {@code simulation} form field holding that JSON in a multipart body) is answered with the replay, so
 *       wire samples of any API (Responses, Anthropic, Ollama, audio) can be played back byte for byte.</li>
 * </ul>
 * Any other path gets 404 and any other method 405, both with OpenAI's error JSON. A chat completion always has
 * one choice; sampling options, {@code n}, tools and response formats are accepted and ignored.
 *
 * <p>Start one with {@link #start(int)} and stop it with {@link #close()}; {@link Main} runs one from the command
 * line.
 */
public final class SimulatorServer implements AutoCloseable {

    /** The models listed by {@code GET /v1/models}; chat completions accept these and any other name. */
    public static final List<String> MODELS = List.of("sim-small", "sim-large", "sim-reasoning");

    /** The address the server binds when none is given: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final long START_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final int port;
    private final int eventLoops;

    private SimulatorServer(Vertx vertx, int port, int eventLoops) {
        this.vertx = vertx;
        this.port = port;
        this.eventLoops = eventLoops;
    }

    /**
     * Starts a simulator on {@link #DEFAULT_HOST} with one event loop per available processor.
     *
     * @param port the TCP port, or 0 for a free one (read it back with {@link #port()})
     * @return the running server, ready to answer
     * @throws IllegalStateException if the port cannot be bound
     */
    public static SimulatorServer start(int port) {
        return start(DEFAULT_HOST, port, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts a simulator.
     *
     * @param host the address to bind, for example {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port the TCP port, or 0 for a free one (read it back with {@link #port()})
     * @param eventLoops event-loop threads, each with its own server sharing the port; at least 1
     * @return the running server, ready to answer
     * @throws IllegalStateException if the port cannot be bound
     */
    public static SimulatorServer start(String host, int port, int eventLoops) {
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1, got " + eventLoops);
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        try {
            // Vert.x gives each server its own port for 0, but one shared random port for -1.
            int actualPort = await(deploy(vertx, host, port == 0 ? -1 : port, eventLoops));
            return new SimulatorServer(vertx, actualPort, eventLoops);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** The TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** The number of event-loop threads serving requests. */
    public int eventLoops() {
        return eventLoops;
    }

    /** The base URL of the OpenAI-compatible API, for example {@code http://127.0.0.1:8090/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    /** Stops the server and its threads; streams in progress are cut off. Waits until everything is closed. */
    @Override
    public void close() {
        await(vertx.close().map(v -> port));
    }

    static String modelsJson() {
        StringBuilder json = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < MODELS.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":");
            Json.appendString(json, MODELS.get(i))
                    .append(",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"tollbooth-simulator\"}");
        }
        return json.append("]}").toString();
    }

    private static Future<Integer> deploy(Vertx vertx, String host, int port, int instances) {
        AtomicLong requests = new AtomicLong();
        Replays replays = new Replays();
        ServerVerticle[] first = new ServerVerticle[1];
        return vertx.deployVerticle(() -> {
            ServerVerticle verticle = new ServerVerticle(host, port, requests, replays);
            if (first[0] == null) {
                first[0] = verticle;
            }
            return verticle;
        }, new DeploymentOptions().setInstances(instances)).map(id -> first[0].server.actualPort());
    }

    private static int await(Future<Integer> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("simulator failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("simulator did not answer within " + START_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the simulator", e);
        }
    }

    /** One HTTP server on one event loop. */
    private static final class ServerVerticle extends AbstractVerticle {

        private final String host;
        private final int port;
        private final AtomicLong requests;
        private final Replays replays;
        private HttpServer server;

        ServerVerticle(String host, int port, AtomicLong requests, Replays replays) {
            this.host = host;
            this.port = port;
            this.requests = requests;
            this.replays = replays;
        }

        @Override
        public void start(Promise<Void> started) {
            // HTTP/1.1 only, like the inference servers it stands in for (vLLM, llama.cpp, OpenAI's edge).
            server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                    .setHttp2ClearTextEnabled(false).setHandle100ContinueAutomatically(true));
            server.requestHandler(new SimulatorHandler(vertx, requests, replays)).listen()
                    .<Void>mapEmpty()
                    .onComplete(started);
        }
    }
}

package io.tollbooth.deploy.local.benchmark;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The gateway benchmark's passthrough configuration: a bare reverse proxy on the same Vert.x and Netty the gateway
 * runs on, with none of Tollbooth's work (no key check, no limits, no usage reading, no events). The gateway's
 * throughput divided by this one's is the share its features leave of what plain proxying could do on the machine.
 *
 * <p>Arguments: {@code <port> <backend host> <backend port>}. It copies the method, path, headers and body to the
 * backend and the status, headers and body back, streaming both ways.
 */
public final class PassthroughProxy {

    private PassthroughProxy() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        String backendHost = args[1];
        int backendPort = Integer.parseInt(args[2]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
        HttpClient backend = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(1024));
        vertx.createHttpServer().requestHandler(request -> forward(request, backend, backendHost, backendPort))
                .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        System.out.println("[passthrough] listening on http://127.0.0.1:" + port);
    }

    private static void forward(HttpServerRequest request, HttpClient backend, String host, int port) {
        request.pause();
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(host).setPort(port)
                .setURI(request.uri()).setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(request.headers())
                        .remove("host"));
        backend.request(options).onFailure(error -> request.response().setStatusCode(502).end())
                .onSuccess(outbound -> outbound.send(request).onFailure(error -> {
                    if (!request.response().ended()) {
                        request.response().setStatusCode(502).end();
                    }
                }).onSuccess(answer -> {
                    request.response().setStatusCode(answer.statusCode());
                    request.response().headers().setAll(answer.headers());
                    answer.pipeTo(request.response());
                }));
    }
}

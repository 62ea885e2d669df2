package io.tollbooth.gateway.proxy;

import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body whole and raw, up to a size limit, into the routing context. Unlike Vert.x's body handler it
 * keeps a multipart form's bytes (a transcription is forwarded as it came) and it answers an oversized body with
 * the gateway's own 413, before reading it when {@code Content-Length} says so.
 */
final class RequestBodyReader implements Handler<RoutingContext> {

    /** The routing-context key of the body read. */
    static final String BODY = "tollbooth.body";

    private static final int UNKNOWN_LENGTH_INITIAL_CAPACITY = 4096;

    private final long limit;

    /** @param limit the largest body accepted, in bytes */
    RequestBodyReader(long limit) {
        this.limit = limit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long declared = declaredLength(request);
        if (declared > limit) {
            ctx.fail(tooLarge());
            return;
        }
        if (request.isEnded()) {
            ctx.put(BODY, Buffer.buffer());
            ctx.next();
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))
                && request.version() != HttpVersion.HTTP_1_0) {
            ctx.response().writeContinue();
        }
        Buffer body = Buffer.buffer(declared > 0 ? (int) declared : UNKNOWN_LENGTH_INITIAL_CAPACITY);
        boolean[] failed = new boolean[1];
        request.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                failed[0] = true;
                ctx.fail(tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> {
            if (!failed[0]) {
                failed[0] = true;
                ctx.fail(400, failure);
            }
        });
        request.endHandler(ended -> {
            if (!failed[0]) {
                ctx.put(BODY, body);
                ctx.next();
            }
        });
        request.resume();
    }

    private GatewayException tooLarge() {
        return GatewayException.of(GatewayError.REQUEST_TOO_LARGE, "The request body is larger than the limit of "
                + limit + " bytes.");
    }

    /** The {@code Content-Length}, or -1 when absent or unreadable (a chunked body is counted as it comes). */
    private static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

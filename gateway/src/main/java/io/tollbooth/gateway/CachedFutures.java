package io.tollbooth.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;

/** Turns a cache's {@link CompletableFuture} into a Vert.x {@link Future} that completes on the caller's context. */
public final class CachedFutures {

    private CachedFutures() {
    }

    /**
     * A cache hit completes at once, on the calling thread, with no hop; a miss completes on the calling
     * request's context even when another request's lookup (on another event loop) produced the value.
     */
    public static <T> Future<T> onCallerContext(CompletableFuture<T> value) {
        if (value.isDone() && !value.isCompletedExceptionally()) {
            return Future.succeededFuture(value.join());
        }
        Context context = Vertx.currentContext();
        return context == null ? Future.fromCompletionStage(value) : Future.fromCompletionStage(value, context);
    }
}

package io.tollbooth.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * A recorded answer played back exactly: its status, its content type and its bytes, written in pieces of
 * {@code chunkBytes} (all at once when 0) with {@code chunkDelayMs} between them.
 *
 * @param status the HTTP status to answer with
 * @param contentType the {@code Content-Type} to answer with
 * @param body the bytes of the answer, sent unchanged
 * @param chunkBytes the size of each write, or 0 for one write
 * @param chunkDelayMs milliseconds between two writes
 */
record Replay(int status, String contentType, Buffer body, int chunkBytes, long chunkDelayMs) {

    /** Answers {@code response} with this replay; a caller that hangs up stops the remaining writes. */
    void play(Vertx vertx, HttpServerResponse response) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        if (chunkBytes == 0 || chunkBytes >= body.length()) {
            response.end(body);
            return;
        }
        response.setChunked(true);
        new Writer(vertx, response).writeFrom(0);
    }

    /** Writes the pieces of one playback, waiting between them on a timer. */
    private final class Writer {

        private final Vertx vertx;
        private final HttpServerResponse response;
        private long timer = -1;

        Writer(Vertx vertx, HttpServerResponse response) {
            this.vertx = vertx;
            this.response = response;
            response.closeHandler(closed -> {
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
            });
        }

        void writeFrom(int offset) {
            int at = offset;
            while (!response.closed()) {
                int end = Math.min(body.length(), at + chunkBytes);
                if (end == body.length()) {
                    response.end(body.slice(at, end));
                    return;
                }
                response.write(body.slice(at, end));
                int next = end;
                if (chunkDelayMs > 0) {
                    timer = vertx.setTimer(chunkDelayMs, id -> writeFrom(next));
                    return;
                }
                if (response.writeQueueFull()) {
                    response.drainHandler(drained -> writeFrom(next));
                    return;
                }
                at = next;
            }
        }
    }
}

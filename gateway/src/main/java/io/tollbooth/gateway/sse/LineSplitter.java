package io.tollbooth.gateway.sse;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Cuts a newline-delimited byte stream (NDJSON, as Ollama's native API streams) into whole lines as its chunks
 * arrive, whatever the chunk boundaries. A line is every byte up to and including its LF, so the lines,
 * concatenated, are the input exactly. Not thread-safe: one splitter per stream, fed on one thread.
 */
public final class LineSplitter {

    private Buffer pending;

    /**
     * Reads {@code chunk} and hands every line it completes to {@code onLine}, in order. Lines that lie wholly
     * inside the chunk are slices of it, not copies.
     */
    public void feed(Buffer chunk, Consumer<Buffer> onLine) {
        int lineStart = 0;
        int length = chunk.length();
        for (int i = 0; i < length; i++) {
            if (chunk.getByte(i) == '\n') {
                emit(chunk, lineStart, i + 1, onLine);
                lineStart = i + 1;
            }
        }
        if (lineStart < length) {
            if (pending == null) {
                pending = Buffer.buffer(length - lineStart);
            }
            pending.appendBuffer(chunk, lineStart, length - lineStart);
        }
    }

    /** The bytes after the last LF, once the stream has ended, or null when it ended on a line boundary. */
    public Buffer finish() {
        Buffer rest = pending;
        pending = null;
        return rest;
    }

    private void emit(Buffer chunk, int start, int end, Consumer<Buffer> onLine) {
        if (pending == null) {
            onLine.accept(chunk.slice(start, end));
            return;
        }
        Buffer line = pending.appendBuffer(chunk, start, end - start);
        pending = null;
        onLine.accept(line);
    }
}

package io.tollbooth.gateway.sse;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Cuts a server-sent-events byte stream into whole events as its chunks arrive, whatever the chunk boundaries.
 *
 * <p>An event is every byte up to and including the blank line that ends it, so the events, concatenated, are the
 * input exactly. Lines may end in LF, CRLF or CR (the SSE grammar); a CR at the very end of a chunk is held until
 * the next byte says whether an LF follows. Not thread-safe: one splitter per stream, fed on one thread.
 */
public final class SseEventSplitter {

    private Buffer pending;
    private boolean atLineStart = true;
    private boolean afterCr;
    private boolean crEndedBlankLine;

    /**
     * Reads {@code chunk} and hands every event it completes to {@code onEvent}, in order. Events that lie wholly
     * inside the chunk are slices of it, not copies.
     */
    public void feed(Buffer chunk, Consumer<Buffer> onEvent) {
        int eventStart = 0;
        int length = chunk.length();
        for (int i = 0; i < length; i++) {
            byte b = chunk.getByte(i);
            if (afterCr) {
                afterCr = false;
                if (crEndedBlankLine) {
                    crEndedBlankLine = false;
                    int end = b == '\n' ? i + 1 : i;
                    emit(chunk, eventStart, end, onEvent);
                    eventStart = end;
                    if (b == '\n') {
                        continue;
                    }
                } else if (b == '\n') {
                    continue;
                }
            }
            if (b == '\r') {
                crEndedBlankLine = atLineStart;
                afterCr = true;
                atLineStart = true;
            } else if (b == '\n') {
                if (atLineStart) {
                    emit(chunk, eventStart, i + 1, onEvent);
                    eventStart = i + 1;
                }
                atLineStart = true;
            } else {
                atLineStart = false;
            }
        }
        if (eventStart < length) {
            if (pending == null) {
                pending = Buffer.buffer(length - eventStart);
            }
            pending.appendBuffer(chunk, eventStart, length - eventStart);
        }
    }

    /**
     * The bytes after the last whole event, once the stream has ended: an unterminated last event, or null when
     * the stream ended on an event boundary.
     */
    public Buffer finish() {
        Buffer rest = pending;
        pending = null;
        atLineStart = true;
        afterCr = false;
        crEndedBlankLine = false;
        return rest;
    }

    private void emit(Buffer chunk, int start, int end, Consumer<Buffer> onEvent) {
        if (pending == null) {
            onEvent.accept(chunk.slice(start, end));
            return;
        }
        Buffer event = pending.appendBuffer(chunk, start, end - start);
        pending = null;
        onEvent.accept(event);
    }
}

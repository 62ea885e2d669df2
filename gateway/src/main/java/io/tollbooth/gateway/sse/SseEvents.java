package io.tollbooth.gateway.sse;

import io.vertx.core.buffer.Buffer;

/** Reads the fields of one server-sent event, as cut by {@link SseEventSplitter}. */
public final class SseEvents {

    private static final byte[] USAGE_KEY = {'"', 'u', 's', 'a', 'g', 'e', '"'};
    private static final byte OBJECT_START = '{';

    private SseEvents() {
    }

    /**
     * The event's {@code data}: the values of its {@code data} lines, joined by LF as the SSE grammar says; null
     * when the event has no {@code data} line (a comment or keep-alive).
     */
    public static Buffer data(Buffer event) {
        Buffer data = null;
        boolean multiLine = false;
        int length = event.length();
        int lineStart = 0;
        while (lineStart < length) {
            int lineEnd = lineStart;
            while (lineEnd < length && event.getByte(lineEnd) != '\n' && event.getByte(lineEnd) != '\r') {
                lineEnd++;
            }
            int valueStart = dataValueStart(event, lineStart, lineEnd);
            if (valueStart >= 0) {
                Buffer value = event.slice(valueStart, lineEnd);
                if (data == null) {
                    data = value;
                } else {
                    data = (multiLine ? data : Buffer.buffer().appendBuffer(data)).appendByte((byte) '\n')
                            .appendBuffer(value);
                    multiLine = true;
                }
            }
            lineStart = skipLineEnd(event, lineEnd);
        }
        return data;
    }

    /**
     * Whether the event may carry a usage object: somewhere a key {@code "usage"} is followed by {@code {}. False
     * for the {@code "usage": null} that OpenAI puts on every chunk, so only the chunks that matter are parsed. A
     * quote inside a JSON string is escaped, so the text of the answer can never match.
     */
    public static boolean mayCarryUsage(Buffer event) {
        return hasKeyFollowedBy(event, USAGE_KEY, OBJECT_START);
    }

    /**
     * Whether somewhere in {@code json} the quoted key {@code quotedKey} (its quotes included) is followed, after a
     * colon and optional whitespace, by a value whose first byte is {@code valueStart}: a cheap test that spares a
     * parse of the many documents that cannot hold what is looked for. A false positive only costs a parse.
     */
    public static boolean hasKeyFollowedBy(Buffer json, byte[] quotedKey, byte valueStart) {
        int last = json.length() - quotedKey.length;
        for (int i = 0; i <= last; i++) {
            if (json.getByte(i) == '"' && matchesKey(json, i, quotedKey)
                    && valueStartsWith(json, i + quotedKey.length, valueStart)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesKey(Buffer json, int at, byte[] quotedKey) {
        for (int j = 1; j < quotedKey.length; j++) {
            if (json.getByte(at + j) != quotedKey[j]) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueStartsWith(Buffer json, int from, byte valueStart) {
        int i = skipWhitespace(json, from);
        if (i >= json.length() || json.getByte(i) != ':') {
            return false;
        }
        i = skipWhitespace(json, i + 1);
        return i < json.length() && json.getByte(i) == valueStart;
    }

    private static int skipWhitespace(Buffer event, int from) {
        int i = from;
        while (i < event.length() && isJsonWhitespace(event.getByte(i))) {
            i++;
        }
        return i;
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** Where the value of a {@code data} line starts (after "data:" and one optional space), or -1. */
    private static int dataValueStart(Buffer event, int lineStart, int lineEnd) {
        if (lineEnd - lineStart < 4 || event.getByte(lineStart) != 'd' || event.getByte(lineStart + 1) != 'a'
                || event.getByte(lineStart + 2) != 't' || event.getByte(lineStart + 3) != 'a') {
            return -1;
        }
        int i = lineStart + 4;
        if (i == lineEnd) {
            return i;
        }
        if (event.getByte(i) != ':') {
            return -1;
        }
        i++;
        return i < lineEnd && event.getByte(i) == ' ' ? i + 1 : i;
    }

    private static int skipLineEnd(Buffer event, int lineEnd) {
        if (lineEnd < event.length() && event.getByte(lineEnd) == '\r') {
            lineEnd++;
        }
        if (lineEnd < event.length() && event.getByte(lineEnd) == '\n') {
            lineEnd++;
        }
        return lineEnd;
    }
}

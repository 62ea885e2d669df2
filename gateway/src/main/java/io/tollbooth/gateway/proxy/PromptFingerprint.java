package io.tollbooth.gateway.proxy;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * A 64-bit print of the fields of a request that make up its prompt (messages, prompt, input, system prompt,
 * instructions, tools, images), taken from their raw bytes while the body is parsed, so two requests with the same
 * prompt share a print whatever their other options. Two hardware-assisted checksums side by side: a few
 * microseconds for a long conversation.
 */
final class PromptFingerprint {

    private final CRC32C first = new CRC32C();
    private final CRC32 second = new CRC32();
    private boolean empty = true;

    /** Adds the field {@code name} whose raw JSON value is {@code body[from, to)}. */
    void add(String name, byte[] body, long from, long to) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        first.update(nameBytes);
        second.update(nameBytes);
        int offset = Math.toIntExact(from);
        int length = Math.toIntExact(to - from);
        first.update(body, offset, length);
        second.update(body, offset, length);
        empty = false;
    }

    /** The print, never 0 once a field was added; 0 when none was. */
    long value() {
        if (empty) {
            return 0;
        }
        long print = first.getValue() << 32 | second.getValue();
        return print == 0 ? 1 : print;
    }
}

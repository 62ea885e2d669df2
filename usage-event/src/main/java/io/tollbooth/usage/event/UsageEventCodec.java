package io.tollbooth.usage.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads and writes {@link UsageEvent}s as UTF-8 JSON; the one place that fixes the wire format. */
public final class UsageEventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private UsageEventCodec() {
    }

    public static byte[] encode(UsageEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("usage event cannot be written as JSON", e);
        }
    }

    /**
     * Parses one event.
     *
     * @throws MalformedUsageEventException when the bytes are not a valid usage event of a known version
     */
    public static UsageEvent decode(byte[] json) {
        UsageEvent event;
        try {
            event = MAPPER.readValue(json, UsageEvent.class);
        } catch (IOException | RuntimeException e) {
            throw new MalformedUsageEventException("not a usage event: " + e.getMessage(), e);
        }
        if (!UsageEvent.TYPE_V1.equals(event.type()) || event.data().schemaVersion() != UsageData.CURRENT_VERSION) {
            throw new MalformedUsageEventException("unsupported usage event type " + event.type() + " version "
                    + event.data().schemaVersion(), null);
        }
        return event;
    }

    public static String toJson(UsageEvent event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /** Thrown when a record on the usage topic cannot be read as a usage event. */
    public static final class MalformedUsageEventException extends IllegalArgumentException {
        MalformedUsageEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

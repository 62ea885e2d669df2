package io.tollbooth.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The replays registered with a simulator, by name, and the lookup of the replay a request names in its
 * {@code simulation.replay} field: in a JSON body, or in a {@code simulation} form field of a multipart body.
 * Shared by every event loop of one server.
 */
final class Replays {

    /** What a replay name may consist of. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private static final JsonFactory JSON = new JsonFactory();
    private static final String MULTIPART = "multipart/form-data";
    private static final byte[] SIMULATION_PART = ascii("name=\"" + SimulationPlan.FIELD + "\"");
    private static final byte[] HEADERS_END = ascii("\r\n\r\n");
    private static final byte[] PART_END = ascii("\r\n--");

    private final Map<String, Replay> byName = new ConcurrentHashMap<>();

    /** Registers {@code replay} as {@code name}, replacing any replay registered under that name before. */
    void register(String name, Replay replay) {
        byName.put(name, replay);
    }

    /** The replay registered as {@code name}; throws {@link OpenAiError} (400) when there is none. */
    Replay get(String name) {
        Replay replay = byName.get(name);
        if (replay == null) {
            throw OpenAiError.invalidRequest("No replay is registered as '" + name + "'.", "simulation.replay");
        }
        return replay;
    }

    /**
     * The replay name in a request body other than a chat completion's, or null when it names none (or cannot be
     * read, which leaves the request to the caller's 404).
     */
    static String nameIn(Buffer body, String contentType) {
        if (contentType != null && contentType.regionMatches(true, 0, MULTIPART, 0, MULTIPART.length())) {
            Buffer plan = simulationPart(body);
            return plan == null ? null : replayOfPlan(plan, false);
        }
        return replayOfPlan(body, true);
    }

    /** The value of the multipart form field named {@code simulation}, or null. */
    private static Buffer simulationPart(Buffer body) {
        int name = indexOf(body, SIMULATION_PART, 0);
        if (name < 0) {
            return null;
        }
        int valueStart = indexOf(body, HEADERS_END, name);
        if (valueStart < 0) {
            return null;
        }
        valueStart += HEADERS_END.length;
        int valueEnd = indexOf(body, PART_END, valueStart);
        return valueEnd < 0 ? null : body.slice(valueStart, valueEnd);
    }

    /** {@code simulation.replay} of a JSON body, or {@code replay} of the plan object itself when not nested. */
    private static String replayOfPlan(Buffer json, boolean nested) {
        try (JsonParser parser = JSON.createParser(json.getBytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            return nested ? findPlan(parser) : readReplay(parser);
        } catch (IOException e) {
            return null;
        }
    }

    private static String findPlan(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            if (parser.nextToken() == JsonToken.START_OBJECT && SimulationPlan.FIELD.equals(field)) {
                return readReplay(parser);
            }
            parser.skipChildren();
        }
        return null;
    }

    private static String readReplay(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            if (parser.nextToken() == JsonToken.VALUE_STRING && "replay".equals(field)) {
                return parser.getText();
            }
            parser.skipChildren();
        }
        return null;
    }

    private static int indexOf(Buffer body, byte[] needle, int from) {
        int last = body.length() - needle.length;
        for (int i = from; i <= last; i++) {
            int j = 0;
            while (j < needle.length && body.getByte(i + j) == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

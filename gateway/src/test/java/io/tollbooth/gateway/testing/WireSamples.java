package io.tollbooth.gateway.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Wire samples as a backend sends them: the shared fixtures beside the checkout ({@code ../shared/fixtures}, read
 * in place; a test that needs one is skipped where they are absent) and the gateway's own small samples in
 * {@code src/test/resources/wire}, which are always there.
 */
public final class WireSamples {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WireSamples() {
    }

    /** The path of shared fixture {@code name}; skips the calling test when the shared fixtures are absent. */
    public static Path shared(String name) {
        Path path = Path.of(System.getProperty("tollbooth.root", "."), "..", "shared", "fixtures", name);
        assumeTrue(Files.isRegularFile(path), "shared fixture " + path + " is absent beside the checkout");
        return path;
    }

    /** The bytes of shared fixture {@code name}, exactly. */
    public static byte[] sharedBytes(String name) {
        try {
            return Files.readAllBytes(shared(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of shared fixture {@code name} (UTF-8). */
    public static String sharedText(String name) {
        return new String(sharedBytes(name), StandardCharsets.UTF_8);
    }

    /** Shared fixture {@code name} read as JSON. */
    public static JsonNode sharedJson(String name) {
        try {
            return JSON.readTree(shared(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The chunks of a recorded stream (a llama-stack recording's {@code response} array, or any array of chunk
     * objects) as the server-sent events a backend sends: {@code data: <chunk>} each, then {@code data: [DONE]}.
     * Notes a collector put between the chunks are left out.
     */
    public static String sseOfChunks(JsonNode chunks) {
        StringBuilder sse = new StringBuilder();
        for (JsonNode chunk : chunks) {
            if (!chunk.has("_collector_note")) {
                sse.append("data: ").append(chunk).append("\n\n");
            }
        }
        return sse.append("data: [DONE]\n\n").toString();
    }

    /**
     * A JSON example from a vendor's documentation made strict, as a server would send it: the collector's
     * {@code #} header lines, the documentation's elision lines ({@code ...}, {@code ....} and what follows them on
     * the line), {@code //} comments and the trailing commas they leave are removed. Nothing else changes.
     */
    public static String strictJson(String example) {
        StringBuilder json = new StringBuilder();
        for (String line : example.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.startsWith("...")) {
                continue;
            }
            int comment = line.indexOf("//");
            json.append(comment >= 0 ? line.substring(0, comment).stripTrailing() : line).append('\n');
        }
        return json.toString().replaceAll(",(\\s*[}\\]])", "$1").strip();
    }

    /** Snippet {@code number} (from 1) of a sample that holds several, each after a {@code --- snippet} line. */
    public static String snippet(String sample, int number) {
        String[] parts = sample.split("(?m)^--- snippet.*$");
        return parts[number];
    }

    /** The gateway's own sample {@code name} from {@code src/test/resources/wire}. */
    public static byte[] own(String name) {
        try (InputStream in = WireSamples.class.getResourceAsStream("/wire/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no wire sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gateway's own sample {@code name} as text. */
    public static String ownText(String name) {
        return new String(own(name), StandardCharsets.UTF_8);
    }
}

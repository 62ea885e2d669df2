package io.tollbooth.gateway.testing;

import io.tollbooth.usage.event.UsageData;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One request sent through the real gateway to the simulator, which answers it with a registered wire sample, and
 * the one usage event the gateway published for it to Kafka.
 *
 * @param answer what the caller received, byte for byte
 * @param wire the bytes the backend sent
 * @param usage the payload of the request's usage event
 */
public record Replayed(RawHttp.Answer answer, byte[] wire, UsageData usage) {

    /** Sends {@code requestJson} and waits for its usage event; see {@link #send}. */
    public static Replayed call(URL gateway, String path, String requestJson, String replay, byte[] wire,
            String wireType, String... headers) {
        RawHttp.Answer answer = send(gateway, path, requestJson, replay, wire, wireType, headers);
        return new Replayed(answer, wire, UsageTopic.get().awaitEventOf(answer.requestId()).event().data());
    }

    /**
     * Registers {@code wire} as replay {@code replay} and POSTs {@code requestJson}, naming that replay, to
     * {@code path} with the capture client's key as a bearer token unless {@code headers} carry a key of their own.
     *
     * @param wireType the content type the backend answers with
     * @param headers more request headers: name, value, name, value...
     */
    public static RawHttp.Answer send(URL gateway, String path, String requestJson, String replay, byte[] wire,
            String wireType, String... headers) {
        CaptureSeed.ensure();
        Replays.register(replay, wire, wireType);
        List<String> all = new ArrayList<>(List.of(headers));
        if (!all.contains("x-api-key")) {
            all.addAll(List.of("Authorization", "Bearer " + CaptureSeed.KEY.secret()));
        }
        byte[] body = withReplay(requestJson, replay).getBytes(StandardCharsets.UTF_8);
        return RawHttp.send(URI.create(gateway.toString().replaceAll("/$", "") + path), "application/json", body,
                all.toArray(String[]::new));
    }

    /** {@code requestJson} with {@code "simulation":{"replay":name}} as its first field. */
    public static String withReplay(String requestJson, String replay) {
        return "{\"simulation\":{\"replay\":\"" + replay + "\"}," + requestJson.strip().substring(1);
    }

    /** The bytes the backend sent, as UTF-8 text. */
    public String wireText() {
        return new String(wire, StandardCharsets.UTF_8);
    }
}

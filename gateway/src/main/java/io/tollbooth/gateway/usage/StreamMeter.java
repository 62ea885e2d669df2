package io.tollbooth.gateway.usage;

import io.tollbooth.gateway.sse.SseEvents;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Meters one stream of any API, frame by frame (an SSE event, or a line of Ollama's NDJSON), and says which frames
 * the caller gets.
 *
 * <p>Usage is a snapshot: each counter takes its latest reported value, whichever frame carries it (a chunk whose
 * {@code choices} are not empty, Anthropic's {@code message_start} and then its cumulative {@code message_delta},
 * a Responses {@code response.completed}), and nothing is ever added up. A usage-only chunk ({@code choices: []})
 * that the gateway asked for is withheld from a caller who did not ask for it; every other frame passes. Only
 * frames that may carry usage are parsed.
 *
 * <p>Until the final usage arrives, the frames are kept (as slices, not copies) in case the stream is cut short
 * and the output must be estimated; past {@value #RETAINED_BYTES_BEFORE_FOLD} bytes they are boiled down to their
 * generated text, which bounds the memory a long stream holds. Used on one event loop while the stream runs, then
 * handed to the recorder's thread.
 */
public final class StreamMeter implements ResponseUsage {

    /** Bytes of frames kept as they are before they are reduced to text. */
    static final int RETAINED_BYTES_BEFORE_FOLD = 16 * 1024;

    private static final byte[] DONE_KEY = {'"', 'd', 'o', 'n', 'e', '"'};
    private static final byte[] TIMINGS_KEY = {'"', 't', 'i', 'm', 'i', 'n', 'g', 's', '"'};
    private static final byte OBJECT_START = '{';
    private static final byte TRUE_START = 't';

    private final MeteredApi api;
    private final boolean clientWantsUsage;
    private ReportedUsage usage;
    private ReportedUsage timings;
    private boolean usageFinal;
    private boolean modelLoad;
    private String usageModel;
    private boolean sse = true;
    private List<Buffer> retained = new ArrayList<>();
    private int retainedBytes;
    private final StringBuilder generated = new StringBuilder();
    private String generatedModel;

    /**
     * @param api the API whose stream this is
     * @param clientWantsUsage whether the caller asked for the usage chunk
     */
    public StreamMeter(MeteredApi api, boolean clientWantsUsage) {
        this.api = api;
        this.clientWantsUsage = clientWantsUsage;
    }

    /** A chat completion stream's meter, as the walking skeleton built it. */
    public StreamMeter(boolean clientWantsUsage) {
        this(MeteredApi.CHAT_COMPLETIONS, clientWantsUsage);
    }

    /**
     * Meters one whole SSE event and returns whether it goes to the caller: all do, except a usage chunk the gateway
     * asked for on the caller's behalf whose {@code choices} carry nothing else.
     */
    public boolean onEvent(Buffer event) {
        boolean usageKey = SseEvents.mayCarryUsage(event);
        if (usageKey || SseEvents.hasKeyFollowedBy(event, TIMINGS_KEY, OBJECT_START)) {
            Buffer data = SseEvents.data(event);
            UsageReader.Snapshot snapshot = data == null ? null : UsageReader.read(data);
            if (snapshot != null && snapshot.timings() != null) {
                timings = snapshot.timings();
            }
            if (snapshot != null && snapshot.usage() != null) {
                onSnapshot(snapshot, event);
                return clientWantsUsage || snapshot.choicesCarrySomething() || !api.usageChunkRequested();
            }
        }
        retainUnlessFinal(event);
        return true;
    }

    /** Meters one line of an NDJSON stream (Ollama's native API); every line goes to the caller. */
    public boolean onLine(Buffer line) {
        sse = false;
        if (SseEvents.hasKeyFollowedBy(line, DONE_KEY, TRUE_START)) {
            UsageReader.Snapshot snapshot = UsageReader.read(line);
            if (snapshot != null) {
                modelLoad |= snapshot.modelLoad();
                if (snapshot.usage() != null) {
                    onSnapshot(snapshot, line);
                    return true;
                }
            }
        }
        retainUnlessFinal(line);
        return true;
    }

    /** Whether the backend has reported usage (or llama.cpp's timings) so far. */
    public boolean usageReported() {
        return reported() != null;
    }

    /** The latest usage; where none came, llama.cpp's latest cumulative timings, which count the request so far. */
    @Override
    public ReportedUsage reported() {
        return usage != null ? usage : timings;
    }

    @Override
    public boolean reportedFinal() {
        return usage != null ? usageFinal : timings != null;
    }

    @Override
    public boolean billable() {
        return !modelLoad;
    }

    @Override
    public String servedModel() {
        if (usageModel != null) {
            return usageModel;
        }
        fold();
        return generatedModel;
    }

    @Override
    public String generatedText() {
        fold();
        return generated.toString();
    }

    private void onSnapshot(UsageReader.Snapshot snapshot, Buffer frame) {
        usage = usage == null ? snapshot.usage() : usage.updatedBy(snapshot.usage());
        usageFinal |= snapshot.finalUsage();
        modelLoad |= snapshot.modelLoad();
        if (snapshot.model() != null) {
            usageModel = snapshot.model();
        }
        if (usageFinal) {
            retained = null;
        } else {
            retain(frame);
        }
    }

    private void retainUnlessFinal(Buffer frame) {
        if (!usageFinal) {
            retain(frame);
        }
    }

    private void retain(Buffer frame) {
        retained.add(frame);
        retainedBytes += frame.length();
        if (retainedBytes > RETAINED_BYTES_BEFORE_FOLD) {
            fold();
        }
    }

    /** Reduces the kept frames to their generated text. */
    private void fold() {
        if (retained == null) {
            return;
        }
        for (Buffer frame : retained) {
            Buffer json = sse ? SseEvents.data(frame) : frame;
            if (json != null) {
                String model = GeneratedText.append(api, json, generated);
                if (generatedModel == null) {
                    generatedModel = model;
                }
            }
        }
        retained.clear();
        retainedBytes = 0;
    }
}

package io.tollbooth.gateway.usage;

import io.tollbooth.gateway.sse.SseEvents;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Meters one chat completion stream, event by event, and says which events the caller gets.
 *
 * <p>Usage is a snapshot: the latest usage object wins, whichever chunk carries it, even one whose
 * {@code choices} are not empty. A usage-only chunk ({@code choices: []}) is withheld from a caller who did not ask
 * for usage; every other event passes. Only events that may carry a usage object are parsed.
 *
 * <p>Until usage arrives, the events are kept (as slices, not copies) in case the backend never reports it and
 * the tokens must be estimated; past {@value #RETAINED_BYTES_BEFORE_FOLD} bytes they are boiled down to their
 * generated text, which bounds the memory a long stream holds. Used on one event loop while the stream runs, then
 * handed to the recorder's thread.
 */
public final class StreamMeter implements ResponseUsage {

    /** Bytes of events kept as they are before they are reduced to text. */
    static final int RETAINED_BYTES_BEFORE_FOLD = 16 * 1024;

    private final boolean clientWantsUsage;
    private ReportedUsage usage;
    private String usageModel;
    private List<Buffer> retained = new ArrayList<>();
    private int retainedBytes;
    private final StringBuilder generated = new StringBuilder();
    private String generatedModel;

    /** @param clientWantsUsage whether the caller asked for the usage chunk */
    public StreamMeter(boolean clientWantsUsage) {
        this.clientWantsUsage = clientWantsUsage;
    }

    /** Meters one whole SSE event and returns whether it goes to the caller. */
    public boolean onEvent(Buffer event) {
        if (SseEvents.mayCarryUsage(event)) {
            Buffer data = SseEvents.data(event);
            CompletionReader.Summary chunk = data == null ? null : CompletionReader.summarize(data);
            if (chunk != null && chunk.usage() != null) {
                onUsage(chunk);
                return clientWantsUsage || chunk.hasChoices();
            }
        }
        if (usage == null) {
            retain(event);
        }
        return true;
    }

    /** Whether the backend has reported usage so far. */
    public boolean usageReported() {
        return usage != null;
    }

    @Override
    public ReportedUsage reported() {
        return usage;
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

    private void onUsage(CompletionReader.Summary chunk) {
        usage = chunk.usage();
        if (chunk.model() != null) {
            usageModel = chunk.model();
        }
        retained = null;
    }

    private void retain(Buffer event) {
        retained.add(event);
        retainedBytes += event.length();
        if (retainedBytes > RETAINED_BYTES_BEFORE_FOLD) {
            fold();
        }
    }

    /** Reduces the kept events to their generated text. */
    private void fold() {
        if (retained == null) {
            return;
        }
        for (Buffer event : retained) {
            Buffer data = SseEvents.data(event);
            if (data != null) {
                String model = CompletionReader.appendGeneratedText(data, "delta", generated);
                if (generatedModel == null) {
                    generatedModel = model;
                }
            }
        }
        retained.clear();
        retainedBytes = 0;
    }
}

package io.tollbooth.gateway.usage;

import io.vertx.core.buffer.Buffer;

/** The usage of a non-streamed answer of any API: its body, read lazily on the recorder's thread. */
public final class WholeResponse implements ResponseUsage {

    private final MeteredApi api;
    private final Buffer body;
    private UsageReader.Snapshot snapshot;
    private boolean read;

    /**
     * @param api the API that answered
     * @param body the body the backend sent, whole (or as far as it came when the caller went away)
     */
    public WholeResponse(MeteredApi api, Buffer body) {
        this.api = api;
        this.body = body;
    }

    /** The body's usage; where it has none, llama.cpp's {@code timings}. */
    @Override
    public ReportedUsage reported() {
        if (snapshot() == null) {
            return null;
        }
        return snapshot.usage() != null ? snapshot.usage() : snapshot.timings();
    }

    @Override
    public boolean reportedFinal() {
        return snapshot() != null && (snapshot.usage() != null ? snapshot.finalUsage() : snapshot.timings() != null);
    }

    @Override
    public boolean billable() {
        return snapshot() == null || !snapshot.modelLoad();
    }

    @Override
    public String servedModel() {
        return snapshot() == null ? null : snapshot.model();
    }

    @Override
    public String generatedText() {
        StringBuilder text = new StringBuilder();
        String model = GeneratedText.append(api, body, text);
        if (model == null && api == MeteredApi.AUDIO_TRANSCRIPTIONS && snapshot() == null) {
            // response_format text, srt or vtt: the body is the transcript itself.
            return body.toString();
        }
        return text.toString();
    }

    private UsageReader.Snapshot snapshot() {
        if (!read) {
            snapshot = UsageReader.read(body);
            read = true;
        }
        return snapshot;
    }
}

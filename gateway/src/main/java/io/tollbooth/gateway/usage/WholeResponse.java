package io.tollbooth.gateway.usage;

import io.vertx.core.buffer.Buffer;

/** The usage of a non-streamed answer: its JSON body, read lazily on the recorder's thread. */
public final class WholeResponse implements ResponseUsage {

    private final Buffer body;
    private CompletionReader.Summary summary;

    /** @param body the body the backend sent, whole (or as far as it came when the caller went away) */
    public WholeResponse(Buffer body) {
        this.body = body;
    }

    @Override
    public ReportedUsage reported() {
        CompletionReader.Summary read = summary();
        return read == null ? null : read.usage();
    }

    @Override
    public String servedModel() {
        CompletionReader.Summary read = summary();
        return read == null ? null : read.model();
    }

    @Override
    public String generatedText() {
        StringBuilder text = new StringBuilder();
        CompletionReader.appendGeneratedText(body, "message", text);
        return text.toString();
    }

    private CompletionReader.Summary summary() {
        if (summary == null) {
            summary = CompletionReader.summarize(body);
        }
        return summary;
    }
}

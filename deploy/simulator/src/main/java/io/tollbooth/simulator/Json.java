package io.tollbooth.simulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Writes JSON string literals into hand-built response bodies, whose shape is fixed and small. */
final class Json {

    private Json() {
    }

    /** Appends {@code value} as a quoted, escaped JSON string, or {@code null}. */
    static StringBuilder appendString(StringBuilder json, String value) {
        if (value == null) {
            return json.append("null");
        }
        json.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, json);
        return json.append('"');
    }
}

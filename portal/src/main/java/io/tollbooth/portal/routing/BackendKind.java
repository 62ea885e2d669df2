package io.tollbooth.portal.routing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What software a backend runs (column {@code backend.kind}); shown to operators, not read by the gateway. */
public enum BackendKind {
    VLLM,
    OLLAMA,
    LLAMA_CPP,
    /** Any OpenAI-compatible API, local or in the cloud. */
    OPENAI,
    ANTHROPIC;

    /** The code stored and written in the API, for example {@code llama_cpp}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every code, in declaration order, for messages and pickers. */
    public static List<String> codes() {
        return Arrays.stream(values()).map(BackendKind::code).toList();
    }

    static boolean known(String code) {
        return codes().contains(code);
    }
}

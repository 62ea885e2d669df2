package io.tollbooth.portal.pricing;

import java.util.Arrays;

/** The billable kinds of tokens, each priced separately; see {@code io.tollbooth.usage.event.TokenCounts}. */
public enum TokenKind {
    INPUT("input"),
    CACHED_INPUT("cached_input"),
    CACHE_WRITE("cache_write"),
    OUTPUT("output");

    /** The regular expression admin requests are validated with. */
    public static final String PATTERN = "input|cached_input|cache_write|output";

    private final String code;

    TokenKind(String code) {
        this.code = code;
    }

    /** The name used in the database and the admin API, for example {@code cached_input}. */
    public String code() {
        return code;
    }

    public static TokenKind ofCode(String code) {
        return Arrays.stream(values())
                .filter(kind -> kind.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown token kind " + code));
    }
}

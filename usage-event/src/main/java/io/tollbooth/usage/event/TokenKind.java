package io.tollbooth.usage.event;

import java.util.Arrays;

/**
 * The kinds of tokens that carry their own price, in the order invoices list them. They are disjoint (see
 * {@link TokenCounts}), so pricing each kind once never charges a token twice. Reasoning is not a kind of its
 * own: reasoning tokens are inside {@link #OUTPUT}.
 */
public enum TokenKind {

    /** Prompt tokens read neither from nor into a prompt cache. */
    INPUT("input", "Input"),
    /** Prompt tokens read from the backend's prompt cache. */
    CACHED_INPUT("cached_input", "Cached input"),
    /** Prompt tokens written into the backend's prompt cache. */
    CACHE_WRITE("cache_write", "Cache write"),
    /** Generated tokens, reasoning included. */
    OUTPUT("output", "Output");

    /** A regular expression matching every {@link #code()}, for validating input. */
    public static final String PATTERN = "input|cached_input|cache_write|output";

    private final String code;
    private final String label;

    TokenKind(String code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The name in the database ({@code price.token_kind}, {@code rated_usage.token_kind}) and in APIs. */
    public String code() {
        return code;
    }

    /** The name people read, for example on an invoice line. */
    public String label() {
        return label;
    }

    /** How many tokens of this kind {@code tokens} holds. */
    public long quantityIn(TokenCounts tokens) {
        return switch (this) {
            case INPUT -> tokens.input();
            case CACHED_INPUT -> tokens.cachedInput();
            case CACHE_WRITE -> tokens.cacheWrite();
            case OUTPUT -> tokens.output();
        };
    }

    /**
     * The kind named {@code code}.
     *
     * @throws IllegalArgumentException when no kind has that code
     */
    public static TokenKind ofCode(String code) {
        return Arrays.stream(values())
                .filter(kind -> kind.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown token kind " + code));
    }
}

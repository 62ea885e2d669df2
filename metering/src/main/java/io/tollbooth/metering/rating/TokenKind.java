package io.tollbooth.metering.rating;

import io.tollbooth.usage.event.TokenCounts;

/**
 * The token kinds that carry their own price. They are disjoint, so rating each kind once never charges a token
 * twice. Reasoning tokens are not a kind of their own: they are inside {@link #OUTPUT}.
 */
public enum TokenKind {
    INPUT("input"),
    CACHED_INPUT("cached_input"),
    CACHE_WRITE("cache_write"),
    OUTPUT("output");

    private final String column;

    TokenKind(String column) {
        this.column = column;
    }

    /** The value stored in {@code price.token_kind} and {@code rated_usage.token_kind}. */
    public String dbValue() {
        return column;
    }

    /** How many tokens of this kind the counts hold. */
    public long quantityIn(TokenCounts tokens) {
        return switch (this) {
            case INPUT -> tokens.input();
            case CACHED_INPUT -> tokens.cachedInput();
            case CACHE_WRITE -> tokens.cacheWrite();
            case OUTPUT -> tokens.output();
        };
    }

    /**
     * The kind stored as {@code value} in the database.
     *
     * @throws IllegalArgumentException when no kind has that value
     */
    public static TokenKind fromDbValue(String value) {
        for (TokenKind kind : values()) {
            if (kind.column.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown token kind " + value);
    }
}

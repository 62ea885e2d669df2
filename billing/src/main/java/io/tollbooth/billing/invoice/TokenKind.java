package io.tollbooth.billing.invoice;

/** The separately priced kinds of tokens, in the order invoice lines list them. */
public enum TokenKind {

    /** Prompt tokens read neither from nor into a prompt cache. */
    INPUT("input", "Input"),
    /** Prompt tokens read from the backend's prompt cache. */
    CACHED_INPUT("cached_input", "Cached input"),
    /** Prompt tokens written into the backend's prompt cache. */
    CACHE_WRITE("cache_write", "Cache write"),
    /** Generated tokens, reasoning included. */
    OUTPUT("output", "Output");

    private final String column;
    private final String label;

    TokenKind(String column, String label) {
        this.column = column;
        this.label = label;
    }

    /** The value stored in {@code price.token_kind}, {@code rated_usage.token_kind} and {@code invoice_line}. */
    public String column() {
        return column;
    }

    /** The name people read on an invoice. */
    public String label() {
        return label;
    }

    /**
     * The kind stored as {@code column}.
     *
     * @throws IllegalArgumentException if no kind is stored that way
     */
    public static TokenKind fromColumn(String column) {
        for (TokenKind kind : values()) {
            if (kind.column.equals(column)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown token kind: " + column);
    }
}

package io.tollbooth.billing.invoice;

import io.tollbooth.usage.event.TokenKind;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a usage line counts and what its unit price is a price of: one of the four token kinds (priced per
 * 1,000,000 tokens), requests (priced per request) or seconds of audio (priced per second). The {@link #code()} is
 * the one metering stores in {@code rated_usage.token_kind} and billing in {@code invoice_line.token_kind}; both
 * tables keep the unit price in {@code price_per_million}, whatever the unit.
 */
public enum LineUnit {

    /** Prompt tokens read neither from nor into a prompt cache. */
    INPUT(TokenKind.INPUT, "Input tokens", "1M tokens"),
    /** Prompt tokens read from the prompt cache. */
    CACHED_INPUT(TokenKind.CACHED_INPUT, "Cached input tokens", "1M tokens"),
    /** Prompt tokens written into the prompt cache. */
    CACHE_WRITE(TokenKind.CACHE_WRITE, "Cache write tokens", "1M tokens"),
    /** Generated tokens, reasoning included. */
    OUTPUT(TokenKind.OUTPUT, "Output tokens", "1M tokens"),
    /** Requests, one per metered request. */
    REQUEST("request", "Requests", "request"),
    /** Seconds of audio, as metering counted them (whole seconds per request). */
    AUDIO_SECOND("audio_second", "Audio seconds", "second");

    private final TokenKind tokenKind;
    private final String code;
    private final String label;
    private final String pricedPer;

    LineUnit(TokenKind tokenKind, String label, String pricedPer) {
        this(tokenKind, tokenKind.code(), label, pricedPer);
    }

    LineUnit(String code, String label, String pricedPer) {
        this(null, code, label, pricedPer);
    }

    LineUnit(TokenKind tokenKind, String code, String label, String pricedPer) {
        this.tokenKind = tokenKind;
        this.code = code;
        this.label = label;
        this.pricedPer = pricedPer;
    }

    /** The name in the database and in exports: {@code input}, {@code request}, {@code audio_second}. */
    public String code() {
        return code;
    }

    /** What the quantity counts, for people: "Cached input tokens", "Requests", "Audio seconds". */
    public String label() {
        return label;
    }

    /** What one unit price buys, for people: "1M tokens", "request", "second". */
    public String pricedPer() {
        return pricedPer;
    }

    /** The token kind this unit counts; null for requests and audio seconds. */
    public TokenKind tokenKind() {
        return tokenKind;
    }

    /** A line's description: the model and what it counts, "gpt-4o input tokens", "whisper-1 requests". */
    public String describe(String model) {
        return model + " " + label.toLowerCase(Locale.ROOT);
    }

    /**
     * The unit named {@code code}.
     *
     * @throws IllegalArgumentException when no unit has that code
     */
    public static LineUnit ofCode(String code) {
        return Arrays.stream(values())
                .filter(unit -> unit.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown unit " + code));
    }

    /**
     * An SQL expression that orders rows by the unit in {@code column}, in the order of this enum, so lines list
     * token kinds first and then requests and audio seconds.
     */
    public static String sqlOrder(String column) {
        StringBuilder order = new StringBuilder("CASE ").append(column);
        for (LineUnit unit : values()) {
            order.append(" WHEN '").append(unit.code).append("' THEN ").append(unit.ordinal());
        }
        return order.append(" END").toString();
    }
}

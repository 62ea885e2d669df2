package io.tollbooth.metering.rating;

import io.tollbooth.usage.event.TokenKind;
import io.tollbooth.usage.event.UsageData;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * What a price is a price of: one of the four token kinds (priced per 1,000,000 tokens), a request (priced per
 * request) or a second of audio (priced per second). Its {@link #code()} is stored in the price tables' {@code unit}
 * column and in {@code rated_usage.token_kind}.
 */
public enum UsageUnit {

    /** Prompt tokens read neither from nor into a prompt cache; per 1M tokens. */
    INPUT(TokenKind.INPUT, "input", 6),
    /** Prompt tokens read from the prompt cache; per 1M tokens. */
    CACHED_INPUT(TokenKind.CACHED_INPUT, "cached_input", 6),
    /** Prompt tokens written into the prompt cache; per 1M tokens. */
    CACHE_WRITE(TokenKind.CACHE_WRITE, "cache_write", 6),
    /** Generated tokens, reasoning included; per 1M tokens. */
    OUTPUT(TokenKind.OUTPUT, "output", 6),
    /** One per metered request; per request. */
    REQUEST(null, "request", 0),
    /** Seconds of audio processed; per second. */
    AUDIO_SECOND(null, "audio_second", 0);

    /** A regular expression matching every {@link #code()}, for validating input. */
    public static final String PATTERN = "input|cached_input|cache_write|output|request|audio_second";

    private final TokenKind tokenKind;
    private final String code;
    private final int perPowerOfTen;

    UsageUnit(TokenKind tokenKind, String code, int perPowerOfTen) {
        this.tokenKind = tokenKind;
        this.code = code;
        this.perPowerOfTen = perPowerOfTen;
    }

    /** The name in the database and in APIs. */
    public String code() {
        return code;
    }

    /** The token kind this unit counts, or null for requests and audio. */
    public TokenKind tokenKind() {
        return tokenKind;
    }

    /** Whether prices of this unit are per 1,000,000 (tokens) rather than per single unit. */
    public boolean perMillion() {
        return perPowerOfTen == 6;
    }

    /**
     * The exact amount of {@code quantity} units at {@code unitPrice}: a decimal shift for the per-1M units, so
     * nothing is ever rounded.
     */
    public BigDecimal amount(long quantity, BigDecimal unitPrice) {
        return BigDecimal.valueOf(quantity).multiply(unitPrice).movePointLeft(perPowerOfTen);
    }

    /**
     * How many units of this kind a request used: its tokens of the kind, 1 for {@link #REQUEST}, and for
     * {@link #AUDIO_SECOND} the event's audio seconds rounded to the nearest whole second (half up), as providers
     * that price audio by duration count it; 0 when the event has no audio.
     */
    public long quantityIn(UsageData data) {
        if (tokenKind != null) {
            return tokenKind.quantityIn(data.tokens());
        }
        if (this == REQUEST) {
            return 1;
        }
        BigDecimal seconds = data.audioSeconds();
        return seconds == null || seconds.signum() <= 0 ? 0
                : seconds.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** The unit that counts {@code kind}. */
    public static UsageUnit of(TokenKind kind) {
        return ofCode(kind.code());
    }

    /**
     * The unit named {@code code}.
     *
     * @throws IllegalArgumentException when no unit has that code
     */
    public static UsageUnit ofCode(String code) {
        return Arrays.stream(values())
                .filter(unit -> unit.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown unit " + code));
    }
}

package io.tollbooth.gateway;

import io.tollbooth.gateway.auth.AuthenticatedKey;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData.UsageSource;
import org.jboss.logging.Logger;

/**
 * Writes the one INFO line each request leaves, as {@code key=value} facts, on logger
 * {@code io.tollbooth.gateway.access}. Never an API key, a prompt or a completion.
 */
public final class AccessLog {

    private static final Logger LOG = Logger.getLogger("io.tollbooth.gateway.access");
    private static final int MAX_VALUE_LENGTH = 128;
    private static final String NONE = "-";

    private AccessLog() {
    }

    /**
     * Logs one finished request.
     *
     * @param line the facts; {@code key}, {@code model}, {@code backend} and {@code tokens} may be null when the
     *     request was refused before they were known
     */
    public static void write(Line line) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        AuthenticatedKey key = line.key();
        LOG.infof("request_id=%s client=%s key_prefix=%s model=%s backend=%s status=%d outcome=%s duration_ms=%d "
                        + "tokens=%s",
                line.requestId(), key == null ? NONE : key.clientId(), key == null ? NONE : key.prefix(),
                safe(line.model()), line.backend() == null ? NONE : line.backend(), line.httpStatus(),
                line.outcome(), line.durationMs(), tokens(line.tokens(), line.usageSource()));
    }

    private static String tokens(TokenCounts tokens, UsageSource source) {
        if (tokens == null) {
            return NONE;
        }
        return "input:" + tokens.input() + ",cached_input:" + tokens.cachedInput() + ",cache_write:"
                + tokens.cacheWrite() + ",output:" + tokens.output() + ",reasoning:" + tokens.reasoning()
                + ",source:" + source.name().toLowerCase();
    }

    /** A caller-supplied value made safe for one log line: no spaces or control characters, bounded length. */
    private static String safe(String value) {
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        StringBuilder safe = new StringBuilder(Math.min(value.length(), MAX_VALUE_LENGTH));
        for (int i = 0; i < value.length() && i < MAX_VALUE_LENGTH; i++) {
            char c = value.charAt(i);
            safe.append(c > ' ' && c < 0x7f ? c : '?');
        }
        return safe.toString();
    }

    /**
     * The facts of one request.
     *
     * @param requestId the gateway's request id
     * @param key the authenticated key, or null when authentication failed
     * @param model the requested model, or null when not read
     * @param backend the backend that was called, or null when none was
     * @param httpStatus the status sent to the caller (0 when the caller left before any)
     * @param outcome how the request ended, for example {@code ok}, {@code client_aborted} or {@code key_revoked}
     * @param durationMs milliseconds from arrival to the last byte
     * @param tokens the metered tokens, or null when nothing was metered
     * @param usageSource where the tokens come from, or null with no tokens
     */
    public record Line(String requestId, AuthenticatedKey key, String model, String backend, int httpStatus,
            String outcome, long durationMs, TokenCounts tokens, UsageSource usageSource) {
    }
}

package io.tollbooth.gateway.auth;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tollbooth.gateway.CachedFutures;
import io.tollbooth.gateway.GatewayConfig;
import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Authenticates the {@code Authorization: Bearer} key of a request against the stored key hashes.
 *
 * <p>Lookups are cached by key hash, valid and unknown keys alike, so a hot key costs no database round trip
 * and a flood of bad keys costs one lookup per key and TTL. A valid entry is refreshed in the background after
 * half its TTL and dropped after the whole of it, which bounds how long a revoked key keeps working. Expiry and
 * revocation times are compared with the clock on every request.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

    /** The longest time a revoked key may keep working. */
    static final Duration MAX_VALID_KEY_TTL = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticator.class);
    private static final String BEARER = "bearer ";
    private static final String MISSING_KEY = "You didn't provide an API key. You need to provide your API key in an "
            + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
    private static final String INCORRECT_KEY = "Incorrect API key provided.";

    private final AsyncLoadingCache<ByteBuffer, Optional<StoredApiKey>> keys;
    private final Clock clock;

    ApiKeyAuthenticator(ApiKeyStore store, GatewayConfig config, Clock clock) {
        GatewayConfig.Auth auth = config.auth();
        Duration validTtl = auth.validKeyTtl();
        if (validTtl.isNegative() || validTtl.isZero() || validTtl.compareTo(MAX_VALID_KEY_TTL) > 0) {
            throw new IllegalArgumentException("tollbooth.gateway.auth.valid-key-ttl must be above 0 and at most "
                    + MAX_VALID_KEY_TTL + " so that revocation takes effect in time; it is " + validTtl);
        }
        Duration unknownTtl = auth.unknownKeyTtl();
        this.clock = clock;
        this.keys = Caffeine.newBuilder()
                .maximumSize(auth.cacheSize())
                .expireAfter(Expiry.writing((ByteBuffer hash, Optional<StoredApiKey> key) ->
                        key.isPresent() ? validTtl : unknownTtl))
                .refreshAfterWrite(validTtl.dividedBy(2))
                .buildAsync((hash, executor) ->
                        store.findByHash(hash.array()).toCompletionStage().toCompletableFuture());
    }

    /**
     * The key named by an {@code Authorization} header value.
     *
     * @param authorization the header value, or null when absent
     * @return the authenticated key; fails with {@link GatewayError#INVALID_API_KEY} for a missing, malformed,
     *     unknown, revoked or expired key, or {@link GatewayError#SERVICE_UNAVAILABLE} when the database fails
     */
    public Future<AuthenticatedKey> authenticate(String authorization) {
        return authenticateKey(bearerToken(authorization));
    }

    /**
     * The key {@code key}, however the caller sent it (a bearer token, Anthropic's {@code x-api-key}).
     *
     * @param key the key, or null when the caller sent none
     * @return the authenticated key; fails as {@link #authenticate(String)} does
     */
    public Future<AuthenticatedKey> authenticateKey(String key) {
        if (key == null) {
            return Future.failedFuture(GatewayException.withOutcome(GatewayError.INVALID_API_KEY, MISSING_KEY,
                    "key_missing"));
        }
        if (!ApiKeys.isWellFormed(key)) {
            return Future.failedFuture(refused("key_malformed"));
        }
        return CachedFutures.onCallerContext(keys.get(ByteBuffer.wrap(ApiKeys.hash(key))))
                .transform(lookup -> lookup.succeeded() ? check(lookup.result()) : databaseFailed(lookup.cause()));
    }

    private Future<AuthenticatedKey> check(Optional<StoredApiKey> stored) {
        if (stored.isEmpty()) {
            return Future.failedFuture(refused("key_unknown"));
        }
        String refusal = stored.get().refusal(clock.instant());
        if (refusal != null) {
            return Future.failedFuture(refused(refusal));
        }
        return Future.succeededFuture(stored.get().identity());
    }

    private static Future<AuthenticatedKey> databaseFailed(Throwable cause) {
        LOG.warnf(cause, "outcome=key_lookup_failed");
        return Future.failedFuture(GatewayException.causedBy(GatewayError.SERVICE_UNAVAILABLE,
                "The gateway cannot check API keys right now. Please retry.", cause));
    }

    private static GatewayException refused(String outcome) {
        return GatewayException.withOutcome(GatewayError.INVALID_API_KEY, INCORRECT_KEY, outcome);
    }

    /** The token of a {@code Bearer} header, or null when the header is absent, of another scheme or empty. */
    public static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }
}

package io.tollbooth.portal.apikey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Issues a client's API keys, for the admin API and the pages alike: stores the prefix and the hash and hands the
 * key back once, to be shown to the person who asked and never again.
 */
@ApplicationScoped
public class ApiKeyIssuer {

    private static final Logger LOG = Logger.getLogger(ApiKeyIssuer.class);

    @Inject
    ApiKeyGenerator generator;

    @Inject
    Clock clock;

    /**
     * A stored key and, once only, the key itself.
     *
     * @param key the full key; never stored, never logged
     */
    public record Issued(ApiKey stored, String key) {

        /** Keeps the key out of anything that prints this record. */
        @Override
        public String toString() {
            return "Issued[prefix=" + stored.prefix + "]";
        }
    }

    /** Creates a key named {@code name} for the client; the caller has made sure the client may be seen. */
    @Transactional
    public Issued issue(UUID clientId, String name) {
        return issue(clientId, name, null);
    }

    /**
     * Creates a key named {@code name} for the client that stops working at {@code expiresAt} (never when null);
     * the caller has made sure the client may be seen.
     */
    @Transactional
    public Issued issue(UUID clientId, String name, Instant expiresAt) {
        ApiKeyGenerator.NewKey newKey = generator.generate();
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.clientId = clientId;
        key.name = name;
        key.prefix = newKey.prefix();
        key.keyHash = newKey.hash();
        key.createdAt = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        key.expiresAt = expiresAt;
        key.persistAndFlush();
        LOG.infof("api_key_created client=%s key_prefix=%s", clientId, key.prefix);
        return new Issued(key, newKey.key());
    }
}

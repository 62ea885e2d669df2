package io.tollbooth.gateway.auth;

import java.time.Instant;

/**
 * An {@code api_key} row as the gateway needs it. Expiry is checked on every use, against the current time, so a
 * cached key stops working the moment it expires. A revocation is an act, not a date: a key with a revocation
 * recorded is refused from the moment the gateway reads the row, whatever the clocks of the control plane that
 * stamped it and of this gateway say.
 *
 * @param identity the key's ids and prefix
 * @param expiresAt when the key stops working, or null for never
 * @param revokedAt when the key was revoked, or null while it is active
 */
record StoredApiKey(AuthenticatedKey identity, Instant expiresAt, Instant revokedAt) {

    /** Why the key is refused at {@code now} ({@code key_revoked}, {@code key_expired}), or null if it is valid. */
    String refusal(Instant now) {
        if (revokedAt != null) {
            return "key_revoked";
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return "key_expired";
        }
        return null;
    }
}

package io.tollbooth.portal.admin.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks a presented admin token against {@code tollbooth.admin.token} in constant time: both are hashed first,
 * so {@link MessageDigest#isEqual} compares equal lengths and the time taken reveals nothing about the token.
 * TODO(#6): replaced by Keycloak token verification.
 */
@ApplicationScoped
public class AdminTokenVerifier {

    private final byte[] expectedHash;

    AdminTokenVerifier(AdminAuthConfig config) {
        this.expectedHash = sha256(config.token());
    }

    /** Whether {@code presented} is the configured admin token. */
    public boolean matches(String presented) {
        return MessageDigest.isEqual(sha256(presented), expectedHash);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

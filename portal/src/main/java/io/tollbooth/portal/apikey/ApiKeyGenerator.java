package io.tollbooth.portal.apikey;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Creates API keys: {@code tb_} followed by 32 random bytes in unpadded base64url (46 characters in all).
 *
 * <p>Only the prefix and the SHA-256 hash of a key are kept; the key itself leaves this class once, in the
 * response that creates it, and is never logged.
 */
@ApplicationScoped
public class ApiKeyGenerator {

    /** Marks a string as a Tollbooth key, so that secret scanners and people recognise it. */
    public static final String KEY_MARKER = "tb_";

    /** Length of the visible prefix: the marker and 8 random characters. */
    public static final int PREFIX_LENGTH = 11;

    private static final int RANDOM_BYTES = 32;

    private final SecureRandom random = new SecureRandom();

    /** A new random key with its prefix and hash. */
    public NewKey generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String key = KEY_MARKER + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new NewKey(key, key.substring(0, PREFIX_LENGTH), sha256(key));
    }

    /** SHA-256 of the key's UTF-8 bytes, as stored in {@code api_key.key_hash}. */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * A freshly generated key.
     *
     * @param key the full key, to be shown once to the caller and then forgotten
     * @param prefix the visible prefix
     * @param hash SHA-256 of the key
     */
    public record NewKey(String key, String prefix, byte[] hash) {

        /** Keeps the key out of logs and exception messages that print this record. */
        @Override
        public String toString() {
            return "NewKey[prefix=" + prefix + "]";
        }
    }
}

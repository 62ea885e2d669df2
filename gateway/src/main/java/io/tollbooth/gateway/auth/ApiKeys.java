package io.tollbooth.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The format of Tollbooth API keys: {@code tb_} followed by 43 base64url characters (32 random bytes, no padding).
 * The database keeps the first {@value #PREFIX_LENGTH} characters for display and the SHA-256 of the whole key.
 */
public final class ApiKeys {

    /** The fixed start of every key. */
    public static final String KEY_START = "tb_";

    /** Length of a whole key. */
    public static final int KEY_LENGTH = KEY_START.length() + 43;

    /** Length of the visible prefix stored in {@code api_key.prefix}. */
    public static final int PREFIX_LENGTH = 11;

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(ApiKeys::newSha256);

    private ApiKeys() {
    }

    /** Whether {@code key} has the shape of a key; one that does not is refused without a database lookup. */
    public static boolean isWellFormed(String key) {
        if (key.length() != KEY_LENGTH || !key.startsWith(KEY_START)) {
            return false;
        }
        for (int i = KEY_START.length(); i < KEY_LENGTH; i++) {
            if (!isBase64Url(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The SHA-256 of the key's UTF-8 bytes: the value of {@code api_key.key_hash}. */
    public static byte[] hash(String key) {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        return digest.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The visible prefix of a well-formed key: the value of {@code api_key.prefix}. */
    public static String prefix(String key) {
        return key.substring(0, PREFIX_LENGTH);
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}

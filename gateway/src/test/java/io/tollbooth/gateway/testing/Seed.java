package io.tollbooth.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;

/** The rows every gateway test can rely on: two operators, their clients, models and keys. */
public final class Seed {

    public static final UUID OPERATOR = UUID.fromString("0a000000-0000-0000-0000-000000000001");
    public static final UUID OTHER_OPERATOR = UUID.fromString("0a000000-0000-0000-0000-000000000002");
    public static final UUID PLAN = UUID.fromString("0b000000-0000-0000-0000-000000000001");
    public static final UUID OTHER_PLAN = UUID.fromString("0b000000-0000-0000-0000-000000000002");
    public static final UUID CLIENT = UUID.fromString("0c000000-0000-0000-0000-000000000001");
    public static final UUID OTHER_CLIENT = UUID.fromString("0c000000-0000-0000-0000-000000000002");

    /** A model the operator offers. */
    public static final String MODEL = "sim-small";
    /** A model only the other operator offers. */
    public static final String OTHER_OPERATORS_MODEL = "sim-large";

    /** The client's working key. */
    public static final TestKey KEY = new TestKey("acme-main", UUID.fromString("0d000000-0000-0000-0000-000000000001"));
    /** A key revoked yesterday. */
    public static final TestKey REVOKED_KEY =
            new TestKey("acme-revoked", UUID.fromString("0d000000-0000-0000-0000-000000000002"));
    /** A key that expired yesterday. */
    public static final TestKey EXPIRED_KEY =
            new TestKey("acme-expired", UUID.fromString("0d000000-0000-0000-0000-000000000003"));
    /** A working key that a test revokes. */
    public static final TestKey KEY_TO_REVOKE =
            new TestKey("acme-to-revoke", UUID.fromString("0d000000-0000-0000-0000-000000000004"));
    /** The other operator's client's key. */
    public static final TestKey OTHER_OPERATORS_KEY =
            new TestKey("other-main", UUID.fromString("0d000000-0000-0000-0000-000000000005"));
    /** A well-formed key that is in no row. */
    public static final String UNKNOWN_KEY = new TestKey("nobody", UUID.randomUUID()).secret();

    private Seed() {
    }

    /**
     * A test API key: {@code tb_} and the base64url of 32 bytes derived from its name, so it is the same in every
     * run.
     */
    public record TestKey(String name, UUID id) {

        public String secret() {
            return "tb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(name));
        }

        public String prefix() {
            return secret().substring(0, 11);
        }

        public byte[] hash() {
            return sha256(secret());
        }

        private static byte[] sha256(String text) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

package io.tollbooth.billing.payment;

import io.tollbooth.billing.payment.WebhookRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Stripe's {@code Stripe-Signature} header ({@code t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=...]})
 * against the exact bytes of the request body.
 *
 * <p>The signed payload is {@code <t>.<raw body>}, HMAC-SHA256 with the endpoint's secret. The body is never
 * parsed or re-encoded before this check: any change to its bytes (a JSON library re-serializing it, a charset
 * conversion) breaks the signature, as it must. A header is accepted when any {@code v1} entry matches any
 * configured secret (Stripe signs with both the old and the new secret while one is rolled), compared in constant
 * time, and when {@code t} is within the tolerance of now, either way, so a captured delivery cannot be replayed
 * later. stripe-java's own check takes the body as a {@code String} and only refuses old timestamps; this one
 * works on bytes and refuses both.
 */
final class StripeSignature {

    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private StripeSignature() {
    }

    /**
     * Checks a delivery; returns normally if it is authentic and fresh.
     *
     * @param rawBody the request body exactly as received
     * @param header the {@code Stripe-Signature} header; null if absent
     * @param secrets the endpoint's signing secrets; any may match
     * @param now the clock's instant
     * @param tolerance how far {@code t} may be from {@code now}, either way
     * @throws WebhookRejectedException {@link Reason#BAD_SIGNATURE} with what is wrong
     */
    static void verify(byte[] rawBody, String header, List<String> secrets, Instant now, Duration tolerance) {
        if (header == null || header.isBlank()) {
            throw rejected("the Stripe-Signature header is missing");
        }
        long timestamp = timestamp(header);
        List<byte[]> signatures = v1Signatures(header);
        if (!matchesAny(rawBody, timestamp, signatures, secrets)) {
            throw rejected("no v1 signature matches the raw body with any configured webhook secret");
        }
        long skewSeconds = Math.abs(now.getEpochSecond() - timestamp);
        if (skewSeconds > tolerance.toSeconds()) {
            throw rejected("the signature's timestamp " + Instant.ofEpochSecond(timestamp) + " is " + skewSeconds
                    + " s from now, more than the tolerance of " + tolerance.toSeconds() + " s");
        }
    }

    /** The {@code v1} signature of a body at a timestamp with a secret, as lower-case hex. */
    static String sign(byte[] rawBody, long timestamp, String secret) {
        return HEX.formatHex(hmac(rawBody, timestamp, secret));
    }

    private static boolean matchesAny(byte[] rawBody, long timestamp, List<byte[]> signatures,
            List<String> secrets) {
        boolean matched = false;
        for (String secret : secrets) {
            byte[] expected = sign(rawBody, timestamp, secret).getBytes(StandardCharsets.US_ASCII);
            for (byte[] signature : signatures) {
                // No early exit: every comparison runs, so the time taken says nothing about which one matched.
                matched |= MessageDigest.isEqual(expected, signature);
            }
        }
        return matched;
    }

    private static long timestamp(String header) {
        String value = null;
        for (String element : header.split(",")) {
            String[] pair = element.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("t")) {
                if (value != null) {
                    throw rejected("the Stripe-Signature header has more than one timestamp");
                }
                value = pair[1];
            }
        }
        if (value == null) {
            throw rejected("the Stripe-Signature header has no timestamp (t=)");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw rejected("the Stripe-Signature timestamp is not a number of seconds");
        }
    }

    private static List<byte[]> v1Signatures(String header) {
        List<byte[]> signatures = new ArrayList<>();
        for (String element : header.split(",")) {
            String[] pair = element.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("v1")) {
                // Kept as the ASCII of the hex, so a malformed entry simply matches nothing.
                signatures.add(pair[1].toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (signatures.isEmpty()) {
            throw rejected("the Stripe-Signature header has no v1 signature");
        }
        return signatures;
    }

    private static byte[] hmac(byte[] rawBody, long timestamp, String secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(rawBody);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    private static WebhookRejectedException rejected(String message) {
        return new WebhookRejectedException(Reason.BAD_SIGNATURE, message);
    }
}

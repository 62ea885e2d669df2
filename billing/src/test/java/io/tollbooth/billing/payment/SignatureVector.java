package io.tollbooth.billing.payment;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The synthetic Stripe-Signature test vector of the shared fixtures (case 22), read in place from
 * {@code <root>/../shared/fixtures/stripe}; absent when the fixtures are not beside the checkout.
 *
 * @param secret the fake endpoint secret
 * @param timestamp the signed timestamp, Unix seconds
 * @param rawBody the body exactly as signed (compact JSON)
 * @param header the {@code Stripe-Signature} header value
 * @param prettyBody the same event pretty-printed, which must not verify
 * @param staleAt the Unix second at which the header must be refused as too old
 */
record SignatureVector(String secret, long timestamp, String rawBody, String header, String prettyBody,
        long staleAt) {

    static final String FILE = "stripe_signature_scheme_and_synthetic_test_vector.json";

    /** The fixtures' Stripe folder. */
    static Path fixtures() {
        return Path.of(System.getProperty("tollbooth.root", "."), "..", "shared", "fixtures", "stripe");
    }

    static Optional<SignatureVector> load() {
        Path file = fixtures().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            return Optional.of(new SignatureVector(
                    json.get("endpoint_secret").getAsString(),
                    json.get("timestamp").getAsLong(),
                    json.get("raw_body").getAsString(),
                    json.get("header_value").getAsString(),
                    json.getAsJsonObject("negative_case_reserialized_body").get("raw_body_pretty_printed")
                            .getAsString(),
                    json.getAsJsonObject("negative_case_stale").get("verify_at_unix").getAsLong()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}

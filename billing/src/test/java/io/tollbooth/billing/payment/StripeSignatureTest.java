package io.tollbooth.billing.payment;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stripe-Signature on raw bytes: the shared synthetic vector of case 22, and vectors of our own. */
class StripeSignatureTest {

    private static final Duration TOLERANCE = Duration.ofSeconds(300);
    private static final String SECRET = "whsec_tollbooth_unit_current";
    private static final String OLD_SECRET = "whsec_tollbooth_unit_old";
    private static final long SIGNED_AT = 1_780_000_000L;
    private static final byte[] BODY = "{\"id\":\"evt_unit_1\",\"object\":\"event\",\"type\":\"invoice.paid\"}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsTheSharedVectorsRawBodyTenSecondsAfterItWasSigned() {
        SignatureVector vector = vector();

        assertThatCode(() -> verify(vector.rawBody(), vector.header(), vector.secret(), vector.timestamp() + 10))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesTheSharedVectorsBodyOnceReSerialized() {
        SignatureVector vector = vector();

        assertThatThrownBy(() -> verify(vector.prettyBody(), vector.header(), vector.secret(),
                vector.timestamp() + 10))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessage("no v1 signature matches the raw body with any configured webhook secret");
    }

    @Test
    void refusesTheSharedVectorThreeHundredAndOneSecondsAfterItWasSigned() {
        SignatureVector vector = vector();

        assertThatThrownBy(() -> verify(vector.rawBody(), vector.header(), vector.secret(), vector.staleAt()))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessage("the signature's timestamp 2024-07-26T00:34:14Z is 301 s from now, more than the"
                        + " tolerance of 300 s");
    }

    @Test
    void acceptsASignatureExactlyAtTheEdgeOfTheTolerance() {
        String header = "t=" + SIGNED_AT + ",v1=" + StripeSignature.sign(BODY, SIGNED_AT, SECRET);

        assertThatCode(() -> StripeSignature.verify(BODY, header, List.of(SECRET), at(SIGNED_AT + 300), TOLERANCE))
                .doesNotThrowAnyException();
        assertThatCode(() -> StripeSignature.verify(BODY, header, List.of(SECRET), at(SIGNED_AT - 300), TOLERANCE))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesATimestampTooFarInTheFuture() {
        String header = "t=" + SIGNED_AT + ",v1=" + StripeSignature.sign(BODY, SIGNED_AT, SECRET);

        assertThatThrownBy(() -> StripeSignature.verify(BODY, header, List.of(SECRET), at(SIGNED_AT - 301),
                TOLERANCE))
                .hasMessageContaining("is 301 s from now");
    }

    @Test
    void acceptsWhenAnyV1EntryMatchesSoASecretCanBeRolled() {
        // While a secret is rolled, Stripe signs with the old and the new one; we may know only one of them.
        String header = "t=" + SIGNED_AT + ",v1=" + StripeSignature.sign(BODY, SIGNED_AT, OLD_SECRET) + ",v1="
                + StripeSignature.sign(BODY, SIGNED_AT, SECRET) + ",v0=6ffbb59b2300aae63f272406069a9788598b792a";

        assertThatCode(() -> StripeSignature.verify(BODY, header, List.of(SECRET), at(SIGNED_AT), TOLERANCE))
                .doesNotThrowAnyException();
        assertThatCode(() -> StripeSignature.verify(BODY, header, List.of(OLD_SECRET), at(SIGNED_AT), TOLERANCE))
                .doesNotThrowAnyException();
    }

    @Test
    void acceptsASignatureMadeWithAnyConfiguredSecret() {
        String header = "t=" + SIGNED_AT + ",v1=" + StripeSignature.sign(BODY, SIGNED_AT, OLD_SECRET);

        assertThatCode(() -> StripeSignature.verify(BODY, header, List.of(SECRET, OLD_SECRET), at(SIGNED_AT),
                TOLERANCE)).doesNotThrowAnyException();
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() {
        String header = "t=" + SIGNED_AT + ",v1=" + StripeSignature.sign(BODY, SIGNED_AT, "whsec_someone_else");

        assertThatThrownBy(() -> StripeSignature.verify(BODY, header, List.of(SECRET), at(SIGNED_AT), TOLERANCE))
                .hasMessage("no v1 signature matches the raw body with any configured webhook secret");
    }

    @Test
    void refusesAChangedTimestampUnderAValidSignature() {
        String signature = StripeSignature.sign(BODY, SIGNED_AT, SECRET);

        assertThatThrownBy(() -> StripeSignature.verify(BODY, "t=" + (SIGNED_AT + 1) + ",v1=" + signature,
                List.of(SECRET), at(SIGNED_AT), TOLERANCE))
                .hasMessage("no v1 signature matches the raw body with any configured webhook secret");
    }

    @Test
    void refusesAHeaderWithoutTimestampOrV1Signature() {
        String v0Only = "t=" + SIGNED_AT + ",v0=" + StripeSignature.sign(BODY, SIGNED_AT, SECRET);

        assertThatThrownBy(() -> StripeSignature.verify(BODY, null, List.of(SECRET), at(SIGNED_AT), TOLERANCE))
                .hasMessage("the Stripe-Signature header is missing");
        assertThatThrownBy(() -> StripeSignature.verify(BODY, "v1=abc", List.of(SECRET), at(SIGNED_AT), TOLERANCE))
                .hasMessage("the Stripe-Signature header has no timestamp (t=)");
        assertThatThrownBy(() -> StripeSignature.verify(BODY, v0Only, List.of(SECRET), at(SIGNED_AT), TOLERANCE))
                .hasMessage("the Stripe-Signature header has no v1 signature");
        assertThatThrownBy(() -> StripeSignature.verify(BODY, "t=soon,v1=abc", List.of(SECRET), at(SIGNED_AT),
                TOLERANCE))
                .hasMessage("the Stripe-Signature timestamp is not a number of seconds");
    }

    private static void verify(String body, String header, String secret, long nowEpochSecond) {
        StripeSignature.verify(body.getBytes(StandardCharsets.UTF_8), header, List.of(secret), at(nowEpochSecond),
                TOLERANCE);
    }

    private static Instant at(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond);
    }

    private static SignatureVector vector() {
        Optional<SignatureVector> vector = SignatureVector.load();
        assumeTrue(vector.isPresent(), "shared fixture " + SignatureVector.fixtures().resolve(SignatureVector.FILE)
                + " is absent beside the checkout");
        return vector.get();
    }
}

package io.tollbooth.billing.payment;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Billing with Stripe enabled against the {@link StripeStandIn}: a test API key, two webhook secrets (one being
 * rolled out), three attempts per request, and no scheduled sync (tests push explicitly).
 */
public class StripeEnabledProfile implements QuarkusTestProfile {

    /** The webhook secret Stripe signs with now. */
    public static final String WEBHOOK_SECRET = "whsec_tollbooth_test_current";

    /** The webhook secret being rolled out; Stripe signs with both while the roll lasts. */
    public static final String NEXT_WEBHOOK_SECRET = "whsec_tollbooth_test_next";

    @Override
    public Map<String, String> getConfigOverrides() {
        String secrets = WEBHOOK_SECRET + "," + NEXT_WEBHOOK_SECRET
                + SignatureVector.load().map(vector -> "," + vector.secret()).orElse("");
        return Map.of(
                "tollbooth.billing.stripe.enabled", "true",
                "tollbooth.billing.stripe.api-key", "sk_test_tollbooth_standin",
                "tollbooth.billing.stripe.webhook-secrets", secrets,
                "tollbooth.billing.stripe.max-attempts", "3",
                "tollbooth.billing.stripe.initial-backoff", "500ms",
                "tollbooth.billing.stripe.max-backoff", "800ms",
                "tollbooth.billing.stripe.sync-every", "off");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StripeStandInResource.class));
    }
}

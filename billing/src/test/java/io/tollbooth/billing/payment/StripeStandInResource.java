package io.tollbooth.billing.payment;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link StripeStandIn} before the application and points billing's Stripe client at it, with short
 * timeouts so that a held request times out in about a second.
 */
public class StripeStandInResource implements QuarkusTestResourceLifecycleManager {

    private StripeStandIn standIn;

    @Override
    public Map<String, String> start() {
        standIn = StripeStandIn.start();
        return Map.of(
                "tollbooth.billing.stripe.api-base", standIn.baseUrl(),
                "tollbooth.billing.stripe.read-timeout", "1s",
                "tollbooth.billing.stripe.connect-timeout", "1s");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(standIn,
                new TestInjector.AnnotatedAndMatchesType(InjectStripeStandIn.class, StripeStandIn.class));
    }

    @Override
    public void stop() {
        if (standIn != null) {
            standIn.close();
        }
    }
}

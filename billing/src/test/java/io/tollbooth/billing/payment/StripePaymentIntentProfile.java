package io.tollbooth.billing.payment;

import java.util.HashMap;
import java.util.Map;

/** {@link StripeEnabledProfile} collecting invoices as PaymentIntents against the saved payment method. */
public class StripePaymentIntentProfile extends StripeEnabledProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("tollbooth.billing.stripe.mode", "PAYMENT_INTENT");
        return overrides;
    }
}

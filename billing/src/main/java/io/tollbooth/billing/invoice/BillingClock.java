package io.tollbooth.billing.invoice;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Supplies the system clock (UTC) to billing unless the application or a test provides its own {@link Clock}
 * bean, which then replaces this one.
 */
@Singleton
public class BillingClock {

    @Produces
    @Singleton
    @DefaultBean
    Clock systemClock() {
        return Clock.systemUTC();
    }
}

package io.tollbooth.gateway.usage.spool;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows the usage spool on {@code /q/health/ready}: its depth, bound and failed sends. Always up: a gateway whose
 * events wait for Kafka still serves, and its events are safe on disk; the over-bound alarm is an ERROR log line.
 */
@Readiness
@ApplicationScoped
public class UsageSpoolHealth implements HealthCheck {

    private final UsageSpool spool;
    private final SpoolConfig config;

    UsageSpoolHealth(UsageSpool spool, SpoolConfig config) {
        this.spool = spool;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("usage-spool").up()
                .withData("depth", spool.depth())
                .withData("max_depth", config.maxDepth())
                .withData("over_bound", spool.overBound())
                .withData("failed_sends", spool.failedSends())
                .build();
    }
}

package io.tollbooth.portal.operations;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the system state page and route read from outside the control plane, under {@code tollbooth.system-state}. */
@ConfigMapping(prefix = "tollbooth.system-state")
public interface SystemStateConfig {

    /** How long a backend's health URL or a gateway's metrics page may take to answer before it counts as down. */
    @WithDefault("2s")
    Duration probeTimeout();

    /** How long the Kafka questions (offsets of the usage and dead-letter topics) may take in all. */
    @WithDefault("5s")
    Duration kafkaTimeout();

    /**
     * The gateways' Prometheus pages ({@code http://gateway:8080/q/metrics}, one per replica), read for the usage
     * spool's depth; none configured: the depth is shown as not known.
     */
    Optional<List<URI>> gatewayMetricsUrls();
}

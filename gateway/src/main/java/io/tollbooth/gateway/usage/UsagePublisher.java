package io.tollbooth.gateway.usage;

import io.quarkus.runtime.Startup;
import io.tollbooth.gateway.usage.spool.UsageSpool;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Sends usage events to Kafka topic {@value UsageEvent#TOPIC}, keyed by client id so one client's events stay in
 * order on one partition, through the durable {@link UsageSpool}: an event is on local disk before it is sent and
 * leaves the spool only once Kafka has acknowledged it, so an unreachable Kafka delays events but never loses them.
 */
@Startup
@ApplicationScoped
public class UsagePublisher {

    private static final Logger LOG = Logger.getLogger(UsagePublisher.class);

    private final UsageSpool spool;

    UsagePublisher(UsageSpool spool) {
        this.spool = spool;
    }

    /**
     * Spools {@code event} for Kafka and returns; never waits for Kafka. An event the spool cannot write (a failed
     * disk) is logged at ERROR with its request id, and is lost.
     */
    void publish(UsageEvent event, String requestId) {
        try {
            spool.append(event.subject(), UsageEventCodec.encode(event));
        } catch (IOException e) {
            LOG.errorf(e, "outcome=usage_event_lost reason=spool_write_failed request_id=%s client=%s event_id=%s",
                    requestId, event.subject(), event.id());
        }
    }

    /** Sends what the spool holds, waiting at most {@code timeout}, and closes it; the rest waits on disk. */
    void close(Duration timeout) {
        spool.close(timeout);
    }
}

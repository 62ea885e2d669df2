package io.tollbooth.gateway.limits;

import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Chooses where the limit counters live: Redis, shared by every replica, or this process. */
@ApplicationScoped
public class CountersProducer {

    private static final Logger LOG = Logger.getLogger(CountersProducer.class);

    /** In-process counters of a client are dropped after this long without a request. */
    private static final Duration MIN_IDLE_EXPIRY = Duration.ofHours(1);

    @Produces
    @ApplicationScoped
    Counters counters(LimitsConfig config, Instance<Redis> redis, Clock clock) {
        if (config.redis().enabled()) {
            LOG.infof("outcome=limits_counters store=redis key_prefix=%s", config.redis().keyPrefix());
            return new RedisCounters(redis.get(), config.redis().keyPrefix());
        }
        LOG.infof("outcome=limits_counters store=in_process");
        Duration idle = config.lease().compareTo(MIN_IDLE_EXPIRY) > 0 ? config.lease() : MIN_IDLE_EXPIRY;
        return new InProcessCounters(idle, clock);
    }
}

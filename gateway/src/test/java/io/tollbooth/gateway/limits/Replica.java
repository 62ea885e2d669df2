package io.tollbooth.gateway.limits;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.UUID;

/**
 * One gateway replica's admission control, built by hand: its own caches and its own counter client, over the
 * shared database and, for Redis counters, the shared Redis, as two gateway processes would have.
 */
final class Replica {

    /** A key prefix of this test run, so runs sharing the machine's Redis never see each other's counters. */
    static final String RUN_PREFIX = "tollbooth-test:" + UUID.randomUUID() + ":";

    private Replica() {
    }

    /** A replica keeping its counters in the shared Redis at 127.0.0.1:6379. */
    static AdmissionControl withRedis(Vertx vertx, Pool pool, Clock clock) {
        TestLimitsConfig config = new TestLimitsConfig(RUN_PREFIX, true);
        Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
        return build(vertx, pool, clock, config, new RedisCounters(redis, RUN_PREFIX));
    }

    /** A replica whose Redis is at {@code redisUrl}, admitting unlimited or refusing when it cannot be asked. */
    static AdmissionControl withRedisAt(String redisUrl, boolean failOpen, Vertx vertx, Pool pool, Clock clock) {
        TestLimitsConfig config = new TestLimitsConfig(RUN_PREFIX, true, failOpen);
        return build(vertx, pool, clock, config, new RedisCounters(Redis.createClient(vertx, redisUrl), RUN_PREFIX));
    }

    /** A replica keeping its counters in its own memory. */
    static AdmissionControl inProcess(Vertx vertx, Pool pool, Clock clock) {
        TestLimitsConfig config = new TestLimitsConfig(RUN_PREFIX, false);
        return build(vertx, pool, clock, config, new InProcessCounters(config.lease(), clock));
    }

    private static AdmissionControl build(Vertx vertx, Pool pool, Clock clock, TestLimitsConfig config,
            Counters counters) {
        return new AdmissionControl(new LimitsCatalog(pool, config), new PriceCatalog(pool, config),
                new SpendLedger(pool), counters, config, clock, vertx);
    }
}

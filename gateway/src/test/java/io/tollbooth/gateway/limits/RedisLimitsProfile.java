package io.tollbooth.gateway.limits;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The gateway with its limit counters in the real Redis at 127.0.0.1:6379, under this test run's key prefix. */
public class RedisLimitsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tollbooth.gateway.limits.redis.enabled", "true",
                "tollbooth.gateway.limits.redis.key-prefix", Replica.RUN_PREFIX,
                "quarkus.redis.hosts", "redis://127.0.0.1:6379");
    }
}

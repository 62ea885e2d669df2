package io.tollbooth.gateway.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.tollbooth.deploy.kafka.LocalKafkaResource;

/**
 * The real dependencies of every gateway test, started once for all of them: PostgreSQL (schema gateway_test),
 * a Kafka broker and the simulator as the backend.
 */
@WithTestResource(value = GatewayDatabase.class, scope = TestResourceScope.GLOBAL, parallel = true)
@WithTestResource(value = LocalKafkaResource.class, scope = TestResourceScope.GLOBAL, parallel = true)
@WithTestResource(value = SimulatorResource.class, scope = TestResourceScope.GLOBAL, parallel = true)
public final class GatewayTestResources {

    private GatewayTestResources() {
    }
}

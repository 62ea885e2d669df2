package io.tollbooth.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.error.GatewayError;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When Redis cannot be asked, {@code fail-open} decides: admit without limits (logged at ERROR) or refuse. */
@QuarkusTest
class UnreachableCountersTest {

    private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Test
    void admitsUnlimitedWhenFailingOpenAndRefusesWith503Otherwise() throws IOException {
        Tenants.Tenant tenant = Tenants.create().clientLimits(1, null, null, null);
        String nobody = "redis://127.0.0.1:" + freePort();

        Requests.Outcome open = Requests.await(Replica.withRedisAt(nobody, true, vertx, pool, new MovableClock(NOW))
                .admit(Requests.key(tenant, tenant.key()), Tenants.GPT_4O, Requests.hi(1), Requests.newRequestId()));
        Requests.Outcome closed = Requests.await(Replica.withRedisAt(nobody, false, vertx, pool,
                new MovableClock(NOW)).admit(Requests.key(tenant, tenant.key()), Tenants.GPT_4O, Requests.hi(1),
                Requests.newRequestId()));

        assertThat(open.admission()).isSameAs(Admission.UNLIMITED);
        assertThat(closed.refusal().error()).isEqualTo(GatewayError.SERVICE_UNAVAILABLE);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package io.tollbooth.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.GatewayConfig;
import io.tollbooth.gateway.testing.FixedClock;
import io.tollbooth.gateway.testing.GatewayDatabase;
import io.tollbooth.gateway.testing.Seed;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three gateway replicas, each with its own key cache over the shared database, all warm with a key that is then
 * revoked: every one of them refuses it within 5 s.
 */
@QuarkusTest
class RevocationOnEveryReplicaTest {

    private static final Seed.TestKey KEY =
            new Seed.TestKey("acme-replicas", UUID.fromString("0d000000-0000-0000-0000-0000000000e1"));

    @Inject
    Pool pool;

    @Inject
    GatewayConfig config;

    @Inject
    Clock clock;

    @Test
    void everyReplicaRefusesARevokedKeyWithinFiveSeconds() {
        GatewayDatabase.execute("INSERT INTO api_key (id, client_id, name, prefix, key_hash) VALUES (?, ?, ?, ?, ?)",
                KEY.id(), Seed.CLIENT, KEY.name(), KEY.prefix(), KEY.hash());
        List<ApiKeyAuthenticator> replicas = List.of(replica(), replica(), replica());
        replicas.forEach(replica -> assertThat(accepts(replica)).isTrue());

        GatewayDatabase.execute("UPDATE api_key SET revoked_at = ? WHERE id = ?", Timestamp.from(FixedClock.NOW),
                KEY.id());
        long revokedAt = System.nanoTime();

        for (ApiKeyAuthenticator replica : replicas) {
            await().atMost(Duration.ofSeconds(5).minusNanos(System.nanoTime() - revokedAt))
                    .pollInterval(Duration.ofMillis(100)).until(() -> !accepts(replica));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    private ApiKeyAuthenticator replica() {
        return new ApiKeyAuthenticator(new ApiKeyStore(pool), config, clock);
    }

    private static boolean accepts(ApiKeyAuthenticator replica) {
        Future<AuthenticatedKey> answer = replica.authenticateKey(KEY.secret());
        return answer.toCompletionStage().toCompletableFuture().handle((key, failure) -> failure == null)
                .orTimeout(5, TimeUnit.SECONDS).join();
    }
}

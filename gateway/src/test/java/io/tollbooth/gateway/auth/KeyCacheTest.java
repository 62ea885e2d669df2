package io.tollbooth.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.gateway.testing.FixedClock;
import io.tollbooth.gateway.testing.GatewayDatabase;
import io.tollbooth.gateway.testing.Seed;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Cached key lookups still follow the database: revocation within 5 s, whatever the clock of the control plane that
 * recorded it, and a new key soon after it is created.
 */
@QuarkusTest
class KeyCacheTest {

    private static final String BODY = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"simulation\":{\"completion_tokens\":1}}";

    @Test
    void stopsAcceptingARevokedKeyWithinFiveSeconds() {
        String key = Seed.KEY_TO_REVOKE.secret();
        // The first request warms the gateway up (key cache, backend connection); only the revocation is timed.
        await().atMost(Duration.ofSeconds(30)).until(() -> status(key) == 200);

        // Stamped by a control plane whose clock runs a day ahead of this gateway's: refused all the same.
        GatewayDatabase.execute("UPDATE api_key SET revoked_at = ? WHERE id = ?",
                Timestamp.from(FixedClock.NOW.plus(Duration.ofDays(1))), Seed.KEY_TO_REVOKE.id());

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250)).until(() -> status(key) == 401);
    }

    @Test
    void acceptsANewKeyOnceItsUnknownEntryHasExpired() {
        Seed.TestKey fresh = new Seed.TestKey("acme-fresh", UUID.fromString("0d000000-0000-0000-0000-00000000000f"));
        await().atMost(Duration.ofSeconds(5)).until(() -> status(fresh.secret()) == 401);

        GatewayDatabase.execute("INSERT INTO api_key (id, client_id, name, prefix, key_hash) VALUES (?, ?, ?, ?, ?)",
                fresh.id(), Seed.CLIENT, fresh.name(), fresh.prefix(), fresh.hash());

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> status(fresh.secret()) == 200);
    }

    private static int status(String key) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v1/chat/completions").statusCode();
    }
}

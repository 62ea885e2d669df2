package io.tollbooth.portal.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import io.tollbooth.portal.operations.SystemState;
import io.tollbooth.simulator.SimulatorServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change made through the admin API reaches a running gateway (its packaged build, in its own process) in front
 * of two simulators, {@code sim-a} and {@code sim-b}: a model routed to one is sent to the other after a re-route,
 * and a backend drained while it streams a response finishes that stream while new requests go to the model's
 * other backend. Which backend served each request is read from the usage events metering stored.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class GatewayRoutingTest {

    private static final Path ARTIFACTS = Path.of("target/routing").toAbsolutePath();
    private static final String MODEL = "routed-model";
    /** The gateway reads an operator's routes again after this long, and the drain flags this often. */
    private static final Duration ROUTE_TTL = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(300);
    /** Longer than a route TTL or a drain poll, so that the gateway has seen a change. */
    private static final Duration SETTLE = Duration.ofMillis(2_500);
    /** The streamed answer: 20 tokens, one every 250 ms, so it is still running while the backend drains. */
    private static final int STREAM_TOKENS = 20;

    private static LocalGateway gateway;
    private static SimulatorServer simA;
    private static SimulatorServer simB;

    @Inject
    AgroalDataSource database;

    @Inject
    SystemState systemState;

    @BeforeAll
    static void startGatewayAndSimulators() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(LocalGateway.packagedApplication()),
                "the gateway is not packaged at " + LocalGateway.packagedApplication()
                        + ": build it first (./mvnw -pl portal -am verify does)");
        String schema = ConfigProvider.getConfig().getValue("quarkus.flyway.schemas", String.class);
        String kafka = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        simA = SimulatorServer.start(0);
        simB = SimulatorServer.start(0);
        gateway = LocalGateway.start(schema, kafka, Duration.ofMillis(500), ARTIFACTS.resolve("gateway.log"),
                Map.of("tollbooth.gateway.models.cache-ttl", ROUTE_TTL.toString(),
                        "tollbooth.gateway.backends.poll-interval", POLL.toString()));
    }

    @AfterAll
    static void stopGatewayAndSimulators() {
        if (gateway != null) {
            gateway.close();
        }
        for (SimulatorServer simulator : new SimulatorServer[] {simA, simB}) {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    @Test
    void aRouteChangedThroughTheAdminApiReachesTheGatewayAndADrainedBackendFinishesItsStream() throws Exception {
        String operatorId = post("/admin/v1/operators", Map.of("slug", "routing-op", "name", "Routing Operator",
                "currency", "USD"));
        post("/admin/v1/models", Map.of("operatorId", operatorId, "name", MODEL));
        String planId = post("/admin/v1/price-plans", Map.of("operatorId", operatorId, "name", "Standard",
                "currency", "USD", "prices", List.of(
                        Map.of("model", MODEL, "tokenKind", "input", "pricePerMillion", "2.50",
                                "effectiveFrom", "2026-01-01T00:00:00Z"),
                        Map.of("model", MODEL, "tokenKind", "output", "pricePerMillion", "10.00",
                                "effectiveFrom", "2026-01-01T00:00:00Z"))));
        String clientId = post("/admin/v1/clients", Map.of("operatorId", operatorId, "slug", "routing-client",
                "name", "Routing Client", "currency", "USD", "timeZone", "UTC", "pricePlanId", planId));
        JsonPath created = operator().body(Map.of("name", "routing")).when()
                .post("/admin/v1/clients/" + clientId + "/api-keys").then().statusCode(201).extract().jsonPath();
        String key = created.getString("key");
        String keyId = created.getString("id");
        String simAId = post("/admin/v1/backends", backend(operatorId, "sim-a", simA));
        String simBId = post("/admin/v1/backends", backend(operatorId, "sim-b", simB));
        String route = "/admin/v1/operators/" + operatorId + "/model-routes/" + MODEL;

        // Routed to sim-a: the first request goes there.
        operator().body(Map.of("backends", List.of(Map.of("backendId", simAId)))).when().put(route)
                .then().statusCode(200);
        chat(key);
        awaitServed(keyId, Map.of("sim-a", 1L));

        // Re-routed to sim-b through the API: once the gateway's route cache has expired, requests go there.
        operator().body(Map.of("backends", List.of(Map.of("backendId", simBId)))).when().put(route)
                .then().statusCode(200);
        Thread.sleep(SETTLE.toMillis());
        chat(key);
        awaitServed(keyId, Map.of("sim-a", 1L, "sim-b", 1L));

        // sim-b first, sim-a as its fallback. A slow stream starts on sim-b, then sim-b is drained: the next
        // request goes to sim-a while the stream runs to its end on sim-b.
        operator().body(Map.of("backends", List.of(Map.of("backendId", simBId), Map.of("backendId", simAId))))
                .when().put(route).then().statusCode(200);
        Thread.sleep(SETTLE.toMillis());
        HttpResponse<InputStream> stream = startStream(key);
        assertThat(stream.statusCode()).isEqualTo(200);
        operator().when().post("/admin/v1/backends/" + simBId + "/drain").then().statusCode(200);
        Thread.sleep(SETTLE.toMillis());
        chat(key);
        String streamed = new String(stream.body().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(streamed).endsWith("data: [DONE]\n\n");
        awaitServed(keyId, Map.of("sim-a", 2L, "sim-b", 2L));
        assertThat(streamedEvent(keyId)).isEqualTo(new StreamedEvent("sim-b", "OK", STREAM_TOKENS));

        // The control plane sees the gateway's spool, empty since Kafka took every event.
        List<SystemState.SpoolDepth> spools = systemState.spoolDepths(
                List.of(URI.create(gateway.url() + "/q/metrics"))).get(10, TimeUnit.SECONDS);
        assertThat(spools).containsExactly(new SystemState.SpoolDepth(URI.create(gateway.url() + "/q/metrics"), 0L,
                null));
    }

    /** Waits until metering has stored exactly these request counts per backend for the key. */
    private void awaitServed(String keyId, Map<String, Long> expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(servedBy(keyId))
                .isEqualTo(new TreeMap<>(expected)));
    }

    private Map<String, Long> servedBy(String keyId) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT backend, count(*) FROM usage_event WHERE api_key_id = ?::uuid GROUP BY backend")) {
            query.setString(1, keyId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }

    /** The key's one streamed request as metering stored it. */
    private StreamedEvent streamedEvent(String keyId) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT backend, status, output_tokens"
                        + " FROM usage_event WHERE api_key_id = ?::uuid AND stream")) {
            query.setString(1, keyId);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                StreamedEvent event = new StreamedEvent(rows.getString(1), rows.getString(2), rows.getLong(3));
                assertThat(rows.next()).as("one streamed request").isFalse();
                return event;
            }
        }
    }

    record StreamedEvent(String backend, String status, long outputTokens) {
    }

    private static void chat(String key) {
        given().auth().oauth2(key).contentType(ContentType.JSON)
                .body(Map.of("model", MODEL, "messages", List.of(Map.of("role", "user", "content", "Hello"))))
                .when().post(gateway.url() + "/v1/chat/completions")
                .then().statusCode(200);
    }

    /** Starts a slow stream and returns once its headers arrived, so that it is in flight on its backend. */
    private static HttpResponse<InputStream> startStream(String key) throws Exception {
        String body = "{\"model\":\"" + MODEL + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}],"
                + "\"simulation\":{\"completion_tokens\":" + STREAM_TOKENS + ",\"chunk_delay_ms\":250}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        CompletableFuture<HttpResponse<InputStream>> response = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        return response.get(30, TimeUnit.SECONDS);
    }

    private static Map<String, Object> backend(String operatorId, String name, SimulatorServer simulator) {
        return Map.of("operatorId", operatorId, "name", name, "kind", "openai", "baseUrl", simulator.baseUrl(),
                "healthUrl", "http://127.0.0.1:" + simulator.port() + "/health");
    }

    private static String post(String path, Map<String, ?> body) {
        return operator().body(body).when().post(path).then().statusCode(201).extract().path("id");
    }

    private static RequestSpecification operator() {
        return given().auth().oauth2(TestRealm.operatorToken()).contentType(ContentType.JSON);
    }
}

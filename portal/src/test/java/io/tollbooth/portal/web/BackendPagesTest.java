package io.tollbooth.portal.web;

import static io.tollbooth.portal.BillingWorld.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.BillingWorld;
import io.tollbooth.portal.TestRealm;
import io.tollbooth.portal.UsageEvents;
import io.tollbooth.portal.operations.SystemState;
import io.tollbooth.simulator.SimulatorServer;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.html.HtmlTextArea;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;

/**
 * The operator's backends-and-routes and system state pages, signed in through the real Keycloak, and the system
 * state's Kafka figures read from a topic and group of the test's own with known offsets.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class BackendPagesTest {

    @TestHTTPResource("/portal/operator/backends")
    URL backends;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    SystemState systemState;

    @Test
    void anOperatorAddsBackendsRoutesAModelAndDrainsABackend() throws Exception {
        String operatorId = createOperator("pages-routing");
        URL page = new URL(backends, "/portal/operator/backends?operator=" + operatorId);

        try (WebClient browser = StaffBrowser.open()) {
            HtmlPage empty = StaffBrowser.signIn(browser, page, TestRealm.newPerson("operator", null));
            assertThat(empty.getTitleText()).isEqualTo("Backends and routes · Tollbooth staff");
            assertThat(empty.asNormalizedText()).contains("No backends yet.", "No model is routed yet.");

            HtmlPage refused = addBackend(empty, "gpu-1", "vllm", "10.0.0.5:8000/v1", "sk-live-123", "8");
            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(refused.getElementById("error").asNormalizedText()).isEqualTo(
                    "baseUrl: must be an absolute http or https URL such as http://10.0.0.5:8000/v1; apiKeyEnv: must "
                            + "name an environment variable of the gateway (such as OPENAI_API_KEY), never hold the "
                            + "key");
            HtmlForm kept = refused.getHtmlElementById("backend-form");
            assertThat(kept.getInputByName("name").getValue()).isEqualTo("gpu-1");
            assertThat(kept.getInputByName("maxInFlight").getValue()).isEqualTo("8");

            HtmlPage added = addBackend(refused, "gpu-1", "vllm", "http://10.0.0.5:8000/v1", "", "8");
            assertThat(added.getElementById("notice").asNormalizedText())
                    .isEqualTo("The backend was added. Route a model to it below.");
            added = addBackend(added, "openai-cloud", "openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "");
            assertThat(added.getElementById("backends").asNormalizedText()).contains(
                    "gpu-1\tvllm\thttp://10.0.0.5:8000/v1\t\t8\t\t\t\ttaking requests\t",
                    "openai-cloud\topenai\thttps://api.openai.com/v1\tOPENAI_API_KEY\tno limit\t\t\t\t"
                            + "taking requests\t");
            assertThat(added.getElementById("drain-gpu-1").asNormalizedText()).isEqualTo("Drain");

            HtmlPage unknown = route(added, "chat", "weighted", "gpu-1, 3\nnobody, 1");
            assertThat(unknown.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(unknown.getElementById("error").asNormalizedText())
                    .isEqualTo("there is no backend named 'nobody'; add it first");
            assertThat(((HtmlTextArea) unknown.getElementById("route-backends")).getText())
                    .isEqualTo("gpu-1, 3\nnobody, 1");

            HtmlPage routed = route(unknown, "chat", "weighted", "gpu-1, 3, llama3.2:3b\nopenai-cloud, 1, gpt-4o-mini");
            assertThat(routed.getElementById("routes").asNormalizedText()).contains("chat\tweighted\t"
                    + "gpu-1 (priority 0, weight 3, as llama3.2:3b); openai-cloud (priority 1, weight 1, as "
                    + "gpt-4o-mini)\t");

            HtmlPage drained = routed.getHtmlElementById("drain-gpu-1")
                    .getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(drained.getElementById("notice").asNormalizedText()).startsWith("The backend is draining");
            assertThat(drained.getElementById("backends").asNormalizedText())
                    .contains("gpu-1\tvllm\thttp://10.0.0.5:8000/v1\t\t8\t\t\t\tdraining\t");
            assertThat(drained.getElementById("drain-gpu-1")).isNull();
            assertThat(drained.getElementById("routes").asNormalizedText())
                    .contains("gpu-1 (priority 0, weight 3, as llama3.2:3b, draining)");
            operator().when().get("/admin/v1/backends?operatorId=" + operatorId).then()
                    .body("draining", equalTo(List.of(true, false)));

            HtmlPage undrained = drained.getHtmlElementById("undrain-gpu-1")
                    .getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(undrained.getElementById("backends").asNormalizedText())
                    .contains("gpu-1\tvllm\thttp://10.0.0.5:8000/v1\t\t8\t\t\t\ttaking requests\t");
            assertThat(undrained.getElementById("undrain-gpu-1")).isNull();

            HtmlPage inUse = undrained.getHtmlElementById("remove-gpu-1")
                    .getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(inUse.getWebResponse().getStatusCode()).isEqualTo(409);
            assertThat(inUse.getElementById("error").asNormalizedText())
                    .isEqualTo("backend 'gpu-1' serves chat; route those models elsewhere first");

            HtmlPage editing = ((HtmlAnchor) inUse.getElementById("edit-gpu-1")).click();
            HtmlForm change = editing.getHtmlElementById("backend-form");
            assertThat(change.getElementsByTagName("legend").get(0).asNormalizedText())
                    .isEqualTo("Change backend gpu-1");
            assertThat(change.getInputByName("name").getValue()).isEqualTo("gpu-1");
            assertThat(change.getInputByName("maxInFlight").getValue()).isEqualTo("8");
            change.getInputByName("maxInFlight").setValue("16");
            change.getInputByName("maxWaiting").setValue("20");
            HtmlPage noMetrics = change.getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(noMetrics.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(noMetrics.getElementById("error").asNormalizedText())
                    .isEqualTo("maxWaiting: needs metricsUrl, where the gateway reads vLLM's waiting queue");
            HtmlForm again = noMetrics.getHtmlElementById("backend-form");
            assertThat(again.getActionAttribute()).endsWith("/portal/operator/backends/" + backendId(operatorId,
                    "gpu-1"));
            again.getInputByName("metricsUrl").setValue("http://10.0.0.5:8000/metrics");
            HtmlPage changed = again.getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(changed.getElementById("notice").asNormalizedText())
                    .isEqualTo("The backend was changed. Gateways use the change once they have polled.");
            assertThat(changed.getElementById("backends").asNormalizedText()).contains(
                    "gpu-1\tvllm\thttp://10.0.0.5:8000/v1\t\t16\t20\t\thttp://10.0.0.5:8000/metrics\t"
                            + "taking requests\t");
            operator().when().get("/admin/v1/backends/" + backendId(operatorId, "gpu-1")).then()
                    .body("maxInFlight", equalTo(16)).body("maxWaiting", equalTo(20))
                    .body("metricsUrl", equalTo("http://10.0.0.5:8000/metrics")).body("draining", equalTo(false));

            HtmlPage unrouted = changed.getHtmlElementById("unroute-chat")
                    .getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(unrouted.getElementById("notice").asNormalizedText())
                    .isEqualTo("The route was removed: the gateway's configured backend serves the model again.");
            assertThat(unrouted.asNormalizedText()).contains("No model is routed yet.");

            HtmlPage removed = unrouted.getHtmlElementById("remove-openai-cloud")
                    .getOneHtmlElementByAttribute("button", "type", "submit").click();
            assertThat(removed.getElementById("notice").asNormalizedText()).isEqualTo("The backend was removed.");
            operator().when().get("/admin/v1/backends?operatorId=" + operatorId).then()
                    .body("name", equalTo(List.of("gpu-1")));
        }
    }

    @Test
    void refusesADrainWithoutItsCsrfTokenAndPeopleWhoAreNotOperators() throws Exception {
        String operatorId = createOperator("pages-guard");
        String gpu = operator().body(Map.of("operatorId", operatorId, "name", "gpu", "kind", "vllm",
                "baseUrl", "http://10.0.0.5:8000/v1")).when().post("/admin/v1/backends").then().statusCode(201)
                .extract().path("id");
        URL page = new URL(backends, "/portal/operator/backends?operator=" + operatorId);

        try (WebClient browser = StaffBrowser.open()) {
            StaffBrowser.signIn(browser, page, TestRealm.newPerson("operator", null));
            WebRequest forged = new WebRequest(new URL(backends, "/portal/operator/backends/" + gpu + "/drain"),
                    HttpMethod.POST);
            forged.setRequestParameters(List.of(new NameValuePair("x", "y")));
            Page answer = browser.getPage(forged);
            assertThat(answer.getWebResponse().getStatusCode()).isEqualTo(400);
        }
        operator().when().get("/admin/v1/backends/" + gpu).then().body("draining", equalTo(false));

        try (WebClient browser = StaffBrowser.open()) {
            Page refused = StaffBrowser.signInTo(browser, page, TestRealm.newPerson("finance", null));
            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(403);
        }
    }

    @Test
    void readsAConsumerGroupsLagPerPartitionAndTheLettersATopicKeeps() throws Exception {
        String topic = "state-" + UUID.randomUUID();
        String group = "state-group-" + UUID.randomUUID();
        Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrapServers);
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        Map<String, Object> producerProperties = new HashMap<>(kafka);
        producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, i < 3 ? 0 : 1, "k", "record " + i)).get();
            }
        }
        Map<String, Object> consumerProperties = new HashMap<>(kafka);
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerProperties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProperties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties)) {
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));
        }

        SystemState.TopicLag lag = systemState.lag(topic, group);

        assertThat(lag.partitions()).containsExactly(new SystemState.PartitionLag(0, 3, 1L, 2),
                new SystemState.PartitionLag(1, 2, null, 2));
        assertThat(lag.total()).isEqualTo(4);
        assertThat(lag.problem()).isNull();
        assertThat(systemState.kept(topic)).isEqualTo(5);
        assertThat(systemState.lag("no-such-topic-" + UUID.randomUUID(), group).partitions()).isEmpty();
    }

    @Test
    void showsUnpricedUsageAndTheHealthOfEachBackendProbedNow() throws Exception {
        BillingWorld world = BillingWorld.create("pages-state", bootstrapServers);
        JsonPath key = operator().body(Map.of("name", "second"))
                .when().post("/admin/v1/clients/" + world.betaId() + "/api-keys")
                .then().statusCode(201).extract().jsonPath();
        UsageEvents.publish(bootstrapServers,
                unpriced(world, key, "req-pages-state-1", Instant.parse("2026-12-12T08:00:00Z")),
                unpriced(world, key, "req-pages-state-2", Instant.parse("2026-12-12T09:00:00Z")));
        String state = "/admin/v1/operators/" + world.operatorId() + "/system-state";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> operator().when().get(state)
                .then().statusCode(200).body("unpricedEvents", equalTo(2)));

        try (SimulatorServer simulator = SimulatorServer.start(0)) {
            backend(world.operatorId(), "alive", "http://127.0.0.1:" + simulator.port() + "/health");
            backend(world.operatorId(), "gone", "http://127.0.0.1:9/health");
            backend(world.operatorId(), "unwatched", null);

            operator().when().get(state).then().statusCode(200)
                    .body("backends.name", equalTo(List.of("alive", "gone", "unwatched")))
                    .body("backends.health", equalTo(List.of("up", "down", "not checked")))
                    .body("backends.detail", equalTo(List.of("HTTP 200", "connection refused", "no health URL")))
                    .body("usageLag.topic", equalTo("tollbooth.usage"))
                    .body("usageLag.problem", equalTo(null))
                    .body("spools.size()", equalTo(0));

            try (WebClient browser = StaffBrowser.open()) {
                HtmlPage page = StaffBrowser.signIn(browser,
                        new URL(backends, "/portal/operator/system?operator=" + world.operatorId()),
                        TestRealm.newPerson("operator", null));
                assertThat(page.getTitleText()).isEqualTo("System state · Tollbooth staff");
                assertThat(page.getElementById("unpriced-count").asNormalizedText())
                        .isEqualTo("2 events wait for a price. See them.");
                assertThat(page.getElementById("health").asNormalizedText()).contains(
                        "alive\topenai\tup\tHTTP 200\tno", "gone\topenai\tdown\tconnection refused\tno",
                        "unwatched\topenai\tnot checked\tno health URL\tno");
                assertThat(page.getElementById("lag").asNormalizedText()).startsWith(
                        "Partition\tEnd offset\tCommitted\tLag");
                assertThat(page.getElementById("spools-unknown").asNormalizedText()).startsWith("Not known");
            }
        }
    }

    private static UsageEvents.Request unpriced(BillingWorld world, JsonPath key, String requestId, Instant at) {
        return new UsageEvents.Request(world.betaId(), key.getString("id"), key.getString("prefix"), requestId,
                "unpriced-model", at, 5_000, 0);
    }

    private static void backend(String operatorId, String name, String healthUrl) {
        Map<String, Object> body = new HashMap<>(Map.of("operatorId", operatorId, "name", name, "kind", "openai",
                "baseUrl", "http://127.0.0.1:9/v1"));
        if (healthUrl != null) {
            body.put("healthUrl", healthUrl);
        }
        operator().body(body).when().post("/admin/v1/backends").then().statusCode(201);
    }

    private static String createOperator(String slug) {
        return operator().body(Map.of("slug", slug, "name", slug, "currency", "USD"))
                .when().post("/admin/v1/operators").then().statusCode(201).extract().path("id");
    }

    private static String backendId(String operatorId, String name) {
        List<String> ids = operator().when().get("/admin/v1/backends?operatorId=" + operatorId).then()
                .statusCode(200).extract().path("findAll { it.name == '" + name + "' }.id");
        return ids.get(0);
    }

    private static HtmlPage addBackend(HtmlPage page, String name, String kind, String baseUrl, String keyEnv,
            String maxInFlight) throws Exception {
        HtmlForm form = page.getHtmlElementById("backend-form");
        form.getInputByName("name").setValue(name);
        ((HtmlSelect) page.getElementById("backend-kind")).setSelectedAttribute(kind, true);
        form.getInputByName("baseUrl").setValue(baseUrl);
        form.getInputByName("apiKeyEnv").setValue(keyEnv);
        form.getInputByName("maxInFlight").setValue(maxInFlight);
        return form.getOneHtmlElementByAttribute("button", "type", "submit").click();
    }

    private static HtmlPage route(HtmlPage page, String model, String strategy, String lines) throws Exception {
        HtmlForm form = page.getHtmlElementById("route-form");
        form.getInputByName("model").setValue(model);
        ((HtmlSelect) page.getElementById("route-strategy")).setSelectedAttribute(strategy, true);
        ((HtmlTextArea) page.getElementById("route-backends")).setText(lines);
        return form.getOneHtmlElementByAttribute("button", "type", "submit").click();
    }
}

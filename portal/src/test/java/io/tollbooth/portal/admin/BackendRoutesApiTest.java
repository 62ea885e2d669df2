package io.tollbooth.portal.admin;

import static io.tollbooth.portal.admin.Admin.admin;
import static io.tollbooth.portal.admin.Admin.create;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.deploy.keycloak.LocalKeycloakResource;
import io.tollbooth.portal.TestRealm;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backends and model routes through the admin API: what is stored, what is refused and why. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LocalKeycloakResource.class)
class BackendRoutesApiTest {

    private static final String UNKNOWN = "0b5c1e52-7d41-4bb4-9f6a-1c2d3e4f5a6b";

    @Test
    void createsListsUpdatesAndDeletesABackendWithoutEverHoldingItsKey() {
        String operatorId = operator("routes-crud");
        Map<String, Object> vllm = backend(operatorId, "gpu-1", "http://10.0.0.5:8000/v1", "vllm");
        vllm.put("maxInFlight", 8);
        vllm.put("healthUrl", "http://10.0.0.5:8000/health");
        vllm.put("metricsUrl", "http://10.0.0.5:8000/metrics");
        vllm.put("maxWaiting", 4);
        String gpu = admin().body(vllm).when().post("/admin/v1/backends")
                .then().statusCode(201)
                .header("Location", containsString("/admin/v1/backends/")).extract().path("id");
        Map<String, Object> cloud = backend(operatorId, "openai-cloud", "https://api.openai.com/v1", "openai");
        cloud.put("apiKeyEnv", "OPENAI_API_KEY");
        create("/admin/v1/backends", cloud);

        admin().when().get("/admin/v1/backends?operatorId=" + operatorId).then().statusCode(200)
                .body("name", equalTo(List.of("gpu-1", "openai-cloud")))
                .body("kind", equalTo(List.of("vllm", "openai")))
                .body("apiKeyEnv", equalTo(Arrays.asList(null, "OPENAI_API_KEY")))
                .body("[0].maxInFlight", equalTo(8))
                .body("[0].maxWaiting", equalTo(4))
                .body("[0].healthUrl", equalTo("http://10.0.0.5:8000/health"))
                .body("[0].draining", equalTo(false));

        vllm.put("name", "gpu-one");
        vllm.put("maxInFlight", 16);
        vllm.remove("maxWaiting");
        admin().body(vllm).when().put("/admin/v1/backends/" + gpu).then().statusCode(200)
                .body("name", equalTo("gpu-one")).body("maxInFlight", equalTo(16))
                .body("maxWaiting", nullValue());

        admin().when().delete("/admin/v1/backends/" + gpu).then().statusCode(204);
        admin().when().get("/admin/v1/backends/" + gpu).then().statusCode(404)
                .body("detail", equalTo("backend " + gpu + " does not exist"));
    }

    @Test
    void listsEveryInvalidFieldOfABackend() {
        String operatorId = operator("routes-invalid");
        Map<String, Object> bad = backend(operatorId, "gpu 1", "ftp://10.0.0.5/v1", "tgi");
        bad.put("apiKeyEnv", "sk-live-abc123");
        bad.put("maxInFlight", 0);
        bad.put("maxWaiting", 3);

        admin().body(bad).when().post("/admin/v1/backends").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tollbooth:problem:invalid-request"))
                .body("errors.field", equalTo(List.of("name", "baseUrl", "kind", "apiKeyEnv", "maxInFlight",
                        "maxWaiting")))
                .body("detail", equalTo("name: must be 1 to 100 letters, digits, dots, underscores or hyphens, "
                        + "starting with a letter or digit; baseUrl: must be an absolute http or https URL such as "
                        + "http://10.0.0.5:8000/v1; kind: must be one of vllm, ollama, llama_cpp, openai, anthropic; "
                        + "apiKeyEnv: must name an environment variable of the gateway (such as OPENAI_API_KEY), "
                        + "never hold the key; maxInFlight: must be 1 or more; maxWaiting: needs metricsUrl, where "
                        + "the gateway reads vLLM's waiting queue"));
        admin().when().get("/admin/v1/backends?operatorId=" + operatorId).then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void refusesADuplicateNameAnUnknownOperatorAndNonOperators() {
        String operatorId = operator("routes-dup");
        create("/admin/v1/backends", backend(operatorId, "local", "http://127.0.0.1:11434/v1", "ollama"));

        admin().body(backend(operatorId, "local", "http://127.0.0.1:8080/v1", "llama_cpp"))
                .when().post("/admin/v1/backends").then().statusCode(409)
                .body("detail", equalTo("the operator already has a backend named 'local'"));
        admin().body(backend(UNKNOWN, "local", "http://127.0.0.1:8080/v1", "llama_cpp"))
                .when().post("/admin/v1/backends").then().statusCode(404)
                .body("detail", equalTo("operator " + UNKNOWN + " does not exist"));
        Admin.as(TestRealm.person("finance", null))
                .when().get("/admin/v1/backends?operatorId=" + operatorId).then().statusCode(403)
                .body("type", equalTo("urn:tollbooth:problem:forbidden"));
    }

    @Test
    void routesAModelToBackendsByWeightAndReplacesTheRouteWhole() {
        String operatorId = operator("routes-model");
        String gpu = create("/admin/v1/backends", backend(operatorId, "gpu", "http://10.0.0.5:8000/v1", "vllm"));
        String ollama = create("/admin/v1/backends", backend(operatorId, "ollama", "http://10.0.0.6:11434/v1",
                "ollama"));
        String path = "/admin/v1/operators/" + operatorId + "/model-routes/meta-llama/Llama-3.2-3B-Instruct";

        admin().body(Map.of("strategy", "weighted", "backends", List.of(
                        Map.of("backendId", gpu, "priority", 1, "weight", 3),
                        Map.of("backendId", ollama, "priority", 2, "weight", 1, "backendModel", "llama3.2:3b"))))
                .when().put(path).then().statusCode(200)
                .body("model", equalTo("meta-llama/Llama-3.2-3B-Instruct"))
                .body("strategy", equalTo("weighted"))
                .body("backends.backend", equalTo(List.of("gpu", "ollama")))
                .body("backends.priority", equalTo(List.of(1, 2)))
                .body("backends.weight", equalTo(List.of(3, 1)))
                .body("backends.backendModel", equalTo(Arrays.asList(null, "llama3.2:3b")));

        admin().body(Map.of("backends", List.of(Map.of("backendId", ollama), Map.of("backendId", gpu))))
                .when().put(path).then().statusCode(200)
                .body("strategy", equalTo("priority"))
                .body("backends.backend", equalTo(List.of("ollama", "gpu")))
                .body("backends.priority", equalTo(List.of(0, 1)))
                .body("backends.weight", equalTo(List.of(1, 1)));
        admin().when().get("/admin/v1/operators/" + operatorId + "/model-routes").then().statusCode(200)
                .body("model", equalTo(List.of("meta-llama/Llama-3.2-3B-Instruct")))
                .body("[0].backends.size()", equalTo(2));

        admin().when().delete("/admin/v1/backends/" + gpu).then().statusCode(409)
                .body("detail", equalTo("backend 'gpu' serves meta-llama/Llama-3.2-3B-Instruct; "
                        + "route those models elsewhere first"));
        admin().when().delete(path).then().statusCode(204);
        admin().when().get(path).then().statusCode(404)
                .body("detail", equalTo("model 'meta-llama/Llama-3.2-3B-Instruct' has no route; "
                        + "the gateway's configured backend serves it"));
    }

    @Test
    void refusesDuplicatePrioritiesBadWeightsAndUnknownBackends() {
        String operatorId = operator("routes-refused");
        String other = operator("routes-refused-other");
        String gpu = create("/admin/v1/backends", backend(operatorId, "gpu", "http://10.0.0.5:8000/v1", "vllm"));
        String cpu = create("/admin/v1/backends", backend(operatorId, "cpu", "http://10.0.0.7:8080/v1", "llama_cpp"));
        String foreign = create("/admin/v1/backends", backend(other, "gpu", "http://10.9.0.5:8000/v1", "vllm"));
        String path = "/admin/v1/operators/" + operatorId + "/model-routes/chat";

        admin().body(Map.of("strategy", "round_robin", "backends", List.of(
                        Map.of("backendId", gpu, "priority", 1, "weight", 0),
                        Map.of("backendId", cpu, "priority", 1))))
                .when().put(path).then().statusCode(400)
                .body("detail", equalTo("strategy: must be one of priority, weighted, least_in_flight; "
                        + "backends[0].weight: must be 1 or more; backends[1].priority: priority 1 is given twice; "
                        + "each backend of a model needs its own"));
        admin().body(Map.of("backends", List.of()))
                .when().put(path).then().statusCode(400)
                .body("detail", equalTo("backends: must name at least one backend; delete the route to use the "
                        + "gateway's configured backend"));
        admin().body(Map.of("backends", List.of(Map.of("backendId", gpu), Map.of("backendId", foreign))))
                .when().put(path).then().statusCode(404)
                .body("detail", equalTo("backend " + foreign + " does not exist"));
        admin().when().get("/admin/v1/operators/" + operatorId + "/model-routes").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void drainsAndUndrainsABackend() {
        String operatorId = operator("routes-drain");
        String gpu = create("/admin/v1/backends", backend(operatorId, "gpu", "http://10.0.0.5:8000/v1", "vllm"));

        admin().when().post("/admin/v1/backends/" + gpu + "/drain").then().statusCode(200)
                .body("draining", equalTo(true));
        admin().when().get("/admin/v1/backends/" + gpu).then().body("draining", equalTo(true));
        admin().when().post("/admin/v1/backends/" + gpu + "/undrain").then().statusCode(200)
                .body("draining", equalTo(false));
        admin().when().post("/admin/v1/backends/" + UNKNOWN + "/drain").then().statusCode(404)
                .body("detail", equalTo("backend " + UNKNOWN + " does not exist"));
    }

    private static String operator(String slug) {
        return create("/admin/v1/operators", Map.of("slug", slug, "name", slug, "currency", "USD"));
    }

    private static Map<String, Object> backend(String operatorId, String name, String baseUrl, String kind) {
        Map<String, Object> body = new HashMap<>();
        body.put("operatorId", operatorId);
        body.put("name", name);
        body.put("baseUrl", baseUrl);
        body.put("kind", kind);
        return body;
    }
}

package io.tollbooth.deploy.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the local stack for a benchmark: a fresh database, one client with one key and a price for the
 * benchmark's model, then writes the addresses and the key to an env file and waits until it is stopped.
 *
 * <p>Arguments: {@code <repository root> <env file>}. Used by {@code docs/benchmarks/gateway/run}.
 */
public final class BenchmarkStack {

    private BenchmarkStack() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        Path envFile = Path.of(args[1]).toAbsolutePath();
        LocalStack stack = LocalStack.start(new LocalStack.Settings(root, root.resolve(".tollbooth/bench"),
                "tollbooth_bench", true, 0, 0, 0, 0, 0));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stack-stop"));

        AdminApi admin = new AdminApi(stack.controlPlaneUrl(), stack.operatorTokens());
        String operatorId = admin.post("/operators", AdminApi.object().put("slug", "bench").put("name", "Bench")
                .put("currency", "USD")).get("id").asText();
        admin.post("/models", AdminApi.object().put("operatorId", operatorId).put("name", "gpt-4o"));
        var plan = AdminApi.object().put("operatorId", operatorId).put("name", "bench").put("currency", "USD");
        var prices = plan.putArray("prices");
        prices.addObject().put("model", "gpt-4o").put("tokenKind", "input").put("pricePerMillion", "2.50")
                .put("effectiveFrom", "2020-01-01T00:00:00Z");
        prices.addObject().put("model", "gpt-4o").put("tokenKind", "output").put("pricePerMillion", "10.00")
                .put("effectiveFrom", "2020-01-01T00:00:00Z");
        String planId = admin.post("/price-plans", plan).get("id").asText();
        String clientId = admin.post("/clients", AdminApi.object().put("operatorId", operatorId)
                .put("slug", "load").put("name", "Load Test").put("currency", "USD").put("timeZone", "UTC")
                .put("pricePlanId", planId)).get("id").asText();
        String key = admin.post("/clients/" + clientId + "/api-keys", AdminApi.object().put("name", "bench"))
                .get("key").asText();

        Files.writeString(envFile, String.join("\n",
                "GATEWAY_URL=" + stack.gatewayUrl(),
                "SIMULATOR_URL=" + stack.simulatorUrl(),
                "KAFKA=" + stack.kafkaBootstrapServers(),
                "API_KEY=" + key,
                ""));
        System.out.println("[bench] stack ready; env in " + envFile);
        new CountDownLatch(1).await();
    }
}

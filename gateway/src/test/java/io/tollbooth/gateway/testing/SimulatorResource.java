package io.tollbooth.gateway.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tollbooth.simulator.SimulatorServer;
import java.util.Map;

/** Starts the inference simulator in the test JVM and makes it the gateway's backend. */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    /** The config key the tests read to call the simulator directly. */
    public static final String BASE_URL_KEY = "tollbooth.gateway.backend.base-url";

    private SimulatorServer simulator;

    @Override
    public Map<String, String> start() {
        simulator = SimulatorServer.start(0);
        return Map.of(BASE_URL_KEY, simulator.baseUrl());
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}

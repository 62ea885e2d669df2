package io.tollbooth.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading vLLM's waiting-queue gauge from its Prometheus text page. */
class WaitingQueueTest {

    @Test
    void sumsTheGaugeOverEveryEngine() {
        String page = """
                # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
                # TYPE vllm:num_requests_waiting gauge
                vllm:num_requests_waiting{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 7.0
                vllm:num_requests_waiting{engine="1",model_name="meta-llama/Llama-3.1-8B-Instruct"} 5.0 1733300000000
                vllm:num_requests_waiting_by_reason{reason="capacity"} 40.0
                vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 12.0
                """;

        assertThat(WaitingQueue.waiting(page)).isEqualTo(12);
    }

    @Test
    void readsTheGaugeWithoutLabels() {
        assertThat(WaitingQueue.waiting("vllm:num_requests_waiting 3\n")).isEqualTo(3);
    }

    @Test
    void knowsNothingFromAPageWithoutTheGauge() {
        assertThat(WaitingQueue.waiting("# TYPE ollama_up gauge\nollama_up 1\n")).isEqualTo(-1);
    }
}

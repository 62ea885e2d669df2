package io.tollbooth.portal.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the gateway's spool gauge from its Prometheus page. */
class SpoolDepthTest {

    @Test
    void readsTheGaugeAmongOtherMetrics() {
        String page = """
                # HELP tollbooth_gateway_usage_spool_depth Usage events not yet acknowledged by Kafka
                # TYPE tollbooth_gateway_usage_spool_depth gauge
                tollbooth_gateway_usage_spool_depth 37.0
                tollbooth_gateway_usage_spool_depth_limit 10000.0
                tollbooth_gateway_requests_total{backend="sim"} 12.0
                """;

        assertThat(SystemState.spoolDepth(page)).contains(37L);
    }

    @Test
    void addsUpLabelledSeriesAndIgnoresTimestamps() {
        String page = """
                tollbooth_gateway_usage_spool_depth{instance="a",note="x}y"} 5 1733300000000
                tollbooth_gateway_usage_spool_depth{instance="b"} 7.0
                """;

        assertThat(SystemState.spoolDepth(page)).contains(12L);
    }

    @Test
    void findsNothingOnAPageWithoutTheGauge() {
        assertThat(SystemState.spoolDepth("tollbooth_gateway_requests_total 3.0\n")).isEmpty();
    }
}

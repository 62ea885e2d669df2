package io.tollbooth.gateway.routing;

/**
 * Reads vLLM's waiting queue, gauge {@code vllm:num_requests_waiting}, from its {@code /metrics} page (Prometheus
 * text format 0.0.4). vLLM labels the gauge by engine and model; a server with several engines reports one sample
 * each, and the requests waiting at the server are their sum.
 */
final class WaitingQueue {

    static final String GAUGE = "vllm:num_requests_waiting";

    private WaitingQueue() {
    }

    /** The sum of every {@value #GAUGE} sample in {@code page}, rounded down; -1 when the page has none. */
    static long waiting(String page) {
        double sum = 0;
        boolean found = false;
        for (String line : page.split("\n")) {
            Double value = sample(line.strip());
            if (value != null) {
                sum += value;
                found = true;
            }
        }
        return found ? (long) sum : -1;
    }

    /** The value of a {@value #GAUGE} sample line, or null for any other line (comments, other metrics). */
    private static Double sample(String line) {
        if (!line.startsWith(GAUGE) || line.length() == GAUGE.length()) {
            return null;
        }
        char after = line.charAt(GAUGE.length());
        String rest;
        if (after == '{') {
            int close = line.lastIndexOf('}');
            if (close < 0) {
                return null;
            }
            rest = line.substring(close + 1).strip();
        } else if (after == ' ' || after == '\t') {
            rest = line.substring(GAUGE.length()).strip();
        } else {
            return null;
        }
        // The value, then an optional timestamp.
        String value = rest.split("\\s+")[0];
        try {
            double parsed = Double.parseDouble(value);
            return Double.isFinite(parsed) ? parsed : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

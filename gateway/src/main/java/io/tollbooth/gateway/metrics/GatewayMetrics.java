package io.tollbooth.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tollbooth.gateway.usage.spool.UsageSpool;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UpstreamAttempt;
import io.tollbooth.usage.event.UsageData;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's Prometheus metrics (at {@code /q/metrics}): requests by client, model, backend, endpoint and status;
 * tokens by client, model and kind; request latency and time to first token; fallbacks from one backend to
 * another; the gateway's own refusals (limits, keys, bad requests) by status and outcome; the usage spool's depth.
 *
 * <p>Metered requests are counted on the usage recorder's thread, once their event is measured, so the event loops
 * pay nothing for them.
 */
@ApplicationScoped
public class GatewayMetrics {

    private static final String REQUESTS = "tollbooth.gateway.requests";
    private static final String TOKENS = "tollbooth.gateway.tokens";
    private static final String DURATION = "tollbooth.gateway.request.duration";
    private static final String FIRST_TOKEN = "tollbooth.gateway.time.to.first.token";
    private static final String FALLBACKS = "tollbooth.gateway.fallbacks";
    private static final String REFUSALS = "tollbooth.gateway.refusals";
    private static final String SPOOL_DEPTH = "tollbooth.gateway.usage.spool.depth";

    private final MeterRegistry registry;

    public GatewayMetrics(MeterRegistry registry, UsageSpool spool) {
        this.registry = registry;
        Gauge.builder(SPOOL_DEPTH, spool, UsageSpool::depth)
                .description("Usage events written to the local spool and not yet acknowledged by Kafka")
                .register(registry);
    }

    /** Counts one metered request: its status, its tokens by kind, its latency and its fallbacks. */
    public void metered(UsageData data) {
        String client = data.clientId();
        String model = data.requestedModel();
        String backend = data.backend() == null ? "none" : data.backend();
        String endpoint = data.endpoint() == null ? "unknown" : data.endpoint();
        Counter.builder(REQUESTS).description("Requests the gateway proxied and metered")
                .tags("client", client, "model", model, "backend", backend, "endpoint", endpoint,
                        "status", data.status().name().toLowerCase())
                .register(registry).increment();
        countTokens(client, model, data.tokens());
        Timer.builder(DURATION).description("From a request's arrival to the last byte sent to the caller")
                .tags("endpoint", endpoint, "backend", backend).publishPercentileHistogram()
                .register(registry).record(Duration.ofMillis(data.latencyMs()));
        if (data.stream() && data.timeToFirstTokenMs() != null) {
            Timer.builder(FIRST_TOKEN).description("From a streamed request's arrival to its first byte sent")
                    .tags("endpoint", endpoint, "backend", backend).publishPercentileHistogram()
                    .register(registry).record(Duration.ofMillis(data.timeToFirstTokenMs()));
        }
        countFallbacks(data.attempts());
    }

    /** Counts one request the gateway answered itself with an error: a limit, a key, a body, a model. */
    public void refused(int httpStatus, String outcome) {
        Counter.builder(REFUSALS).description("Requests the gateway refused itself, by status and outcome")
                .tags("status", Integer.toString(httpStatus), "outcome", outcome == null ? "unknown" : outcome)
                .register(registry).increment();
    }

    private void countTokens(String client, String model, TokenCounts tokens) {
        count(client, model, "input", tokens.input());
        count(client, model, "cached_input", tokens.cachedInput());
        count(client, model, "cache_write", tokens.cacheWrite());
        count(client, model, "output", tokens.output());
        count(client, model, "reasoning", tokens.reasoning());
    }

    private void count(String client, String model, String kind, long tokens) {
        if (tokens > 0) {
            Counter.builder(TOKENS).description("Tokens metered, by kind; reasoning is a part of output")
                    .tags("client", client, "model", model, "kind", kind)
                    .register(registry).increment(tokens);
        }
    }

    /** Every attempt but the last sent the request on to another backend. */
    private void countFallbacks(List<UpstreamAttempt> attempts) {
        if (attempts == null) {
            return;
        }
        for (UpstreamAttempt attempt : attempts.subList(0, attempts.size() - 1)) {
            Counter.builder(FALLBACKS).description("Requests sent on to the next backend, by the backend that failed")
                    .tags("backend", attempt.backend(), "outcome", attempt.outcome())
                    .register(registry).increment();
        }
    }
}

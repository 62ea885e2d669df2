package io.tollbooth.gateway.usage;

import io.quarkus.runtime.ShutdownEvent;
import io.tollbooth.gateway.AccessLog;
import io.tollbooth.gateway.GatewayConfig;
import io.tollbooth.gateway.limits.Admission;
import io.tollbooth.gateway.metrics.GatewayMetrics;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageData.Status;
import io.tollbooth.usage.event.UsageData.UsageSource;
import io.tollbooth.usage.event.UsageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Turns each finished request into exactly one usage event, logs its access line and publishes the event.
 *
 * <p>The work runs on one dedicated thread, in the order requests finish: reading the backend's usage,
 * estimating with the tokenizer, encoding and handing to the Kafka producer all stay off the event loops, and a
 * slow or unreachable Kafka never delays a response. {@link #record} only enqueues.
 */
@ApplicationScoped
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    private final UsagePublisher publisher;
    private final GatewayMetrics metrics;
    private final TokenEstimator estimator = new TokenEstimator();
    private final PromptMemory prompts = new PromptMemory();
    private final ThreadPoolExecutor worker;
    private final Duration shutdownTimeout;

    UsageRecorder(UsagePublisher publisher, GatewayMetrics metrics, GatewayConfig config) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.shutdownTimeout = config.usage().shutdownTimeout();
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.usage().queueCapacity()), UsageRecorder::newThread);
    }

    /** Queues the request's event; never blocks. */
    public void record(FinishedRequest request) {
        record(request, Admission.UNLIMITED);
    }

    /**
     * Queues the request's event and settles its admission with the metered usage as soon as it is measured, before
     * the event is published; never blocks.
     */
    public void record(FinishedRequest request, Admission admission) {
        try {
            worker.execute(() -> publish(request, admission));
        } catch (RejectedExecutionException e) {
            // TODO(#3): spool to disk instead; today an event that finds the queue full is lost.
            LOG.errorf("outcome=usage_event_dropped reason=queue_full request_id=%s client=%s", request.requestId(),
                    request.key().clientId());
            admission.settleAtWorstCase();
        }
    }

    void onShutdown(@Observes ShutdownEvent shutdown) throws InterruptedException {
        worker.shutdown();
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        if (!worker.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.errorf("outcome=usage_events_abandoned count=%d", worker.shutdownNow().size());
        }
        publisher.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    private void publish(FinishedRequest request, Admission admission) {
        try {
            Measured measured = measure(request, estimator, prompts);
            if (measured == null) {
                admission.settle(TokenCounts.ZERO, false);
                AccessLog.write(new AccessLog.Line(request.requestId(), request.key(), request.requestedModel(),
                        request.backend(), request.httpStatus(), "not_billable", request.latencyMs(), null, null));
                return;
            }
            UsageData data = measured.event().data();
            admission.settle(data.tokens(), data.status() != Status.REJECTED);
            metrics.metered(data);
            if (measured.inconsistency() != null) {
                LOG.warnf("outcome=usage_rejected request_id=%s client=%s backend=%s reason=\"%s\"",
                        request.requestId(), data.clientId(), request.backend(), measured.inconsistency());
            }
            AccessLog.write(new AccessLog.Line(request.requestId(), request.key(), request.requestedModel(),
                    request.backend(), request.httpStatus(), outcome(data.status()), request.latencyMs(),
                    data.tokens(), data.usageSource()));
            publisher.publish(measured.event(), request.requestId());
        } catch (RuntimeException e) {
            LOG.errorf(e, "outcome=usage_event_failed request_id=%s", request.requestId());
            admission.settleAtWorstCase();
        }
    }

    /** The usage event of a finished request, with no memory of earlier prompt counts. */
    static Measured measure(FinishedRequest request, TokenEstimator estimator) {
        return measure(request, estimator, new PromptMemory());
    }

    /**
     * The usage event of a finished request, or null when nobody is billed for it (Ollama's answer to a model
     * load). Inconsistent counts turn the status into {@link Status#REJECTED}, so the event is kept but never
     * rated; a request the backend never served is metered at zero. A provider's own cost is carried along for
     * information and never replaces the token counts.
     */
    static Measured measure(FinishedRequest request, TokenEstimator estimator, PromptMemory prompts) {
        ResponseUsage response = request.response();
        if (!response.billable()) {
            return null;
        }
        UsageResolver.Resolution resolution = resolve(request, estimator, prompts);
        Status status = resolution.inconsistency() == null ? request.status() : Status.REJECTED;
        ReportedUsage reported = response.reported();
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, request.requestId(),
                request.key().clientId().toString(), request.key().keyId().toString(), request.key().prefix(),
                request.endpoint(), request.requestedModel(), response.servedModel(), request.backend(),
                request.stream(), status, resolution.source(), resolution.tokens(), request.latencyMs(),
                request.timeToFirstTokenMs(), reported == null ? null : reported.audioSeconds(),
                reported == null ? null : reported.cost(), resolution.inconsistency(), request.attempts());
        UsageEvent event = UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest(request.requestId()),
                request.arrivedAt(), data);
        return new Measured(event, resolution.inconsistency());
    }

    private static UsageResolver.Resolution resolve(FinishedRequest request, TokenEstimator estimator,
            PromptMemory prompts) {
        ResponseUsage response = request.response();
        if (response == ResponseUsage.NOTHING_SERVED) {
            return new UsageResolver.Resolution(TokenCounts.ZERO, UsageSource.ESTIMATED, null);
        }
        String model = request.requestedModel();
        MeteredApi api = request.api();
        ReportedUsage reported = response.reported();
        UsageResolver.Resolution resolution = UsageResolver.resolve(api, reported, response.reportedFinal(),
                prompts.recall(request), () -> estimator.promptTokens(api, request.requestBody(), model),
                () -> estimator.textTokens(response.generatedText(), model));
        Long reportedPrompt = reported == null ? null : UsageResolver.promptTotal(api, reported);
        if (reportedPrompt != null && resolution.inconsistency() == null) {
            prompts.remember(request, reportedPrompt);
        }
        return resolution;
    }

    private static String outcome(Status status) {
        return status == Status.REJECTED ? "usage_rejected" : status.name().toLowerCase();
    }

    private static Thread newThread(Runnable work) {
        Thread thread = new Thread(work, "tollbooth-usage-recorder");
        thread.setDaemon(true);
        return thread;
    }

    /**
     * A request's usage event.
     *
     * @param event the event to publish
     * @param inconsistency what was wrong with the backend's counts, or null
     */
    record Measured(UsageEvent event, String inconsistency) {
    }
}

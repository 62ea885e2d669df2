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
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Turns each finished request into exactly one usage event, logs its access line and publishes the event.
 *
 * <p>The work runs on one dedicated thread, in the order requests finish: reading the backend's usage,
 * estimating with the tokenizer, encoding and appending to the durable spool all stay off the event loops, and a
 * slow or unreachable Kafka never delays a response. {@link #record} only enqueues, except when the queue is full:
 * then the calling thread measures and spools the event itself. A lost event is lost revenue, so under overload the
 * event loops slow down instead (which also slows the intake); such an event may reach Kafka ahead of events queued
 * before it, which metering does not mind (it keys events by id, not by arrival).
 */
@ApplicationScoped
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
    private static final long QUEUE_FULL_WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final UsagePublisher publisher;
    private final GatewayMetrics metrics;
    /**
     * One tokenizer per measuring thread: the recorder's own, and callers that measure their event themselves when
     * the queue is full.
     */
    private final ThreadLocal<TokenEstimator> estimators = ThreadLocal.withInitial(TokenEstimator::new);
    private final PromptMemory prompts = new PromptMemory();
    private final ThreadPoolExecutor worker;
    private final Duration shutdownTimeout;
    private final AtomicLong queueFullSince = new AtomicLong();
    private final AtomicLong measuredByCallers = new AtomicLong();

    @Inject
    UsageRecorder(UsagePublisher publisher, GatewayMetrics metrics, GatewayConfig config) {
        this(publisher, metrics, config.usage().queueCapacity(), config.usage().shutdownTimeout());
    }

    UsageRecorder(UsagePublisher publisher, GatewayMetrics metrics, int queueCapacity, Duration shutdownTimeout) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.shutdownTimeout = shutdownTimeout;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), UsageRecorder::newThread);
    }

    /** Queues the request's event; see {@link #record(FinishedRequest, Admission)}. */
    public void record(FinishedRequest request) {
        record(request, Admission.UNLIMITED);
    }

    /**
     * Queues the request's event and settles its admission with the metered usage as soon as it is measured, before
     * the event is published. Never waits for Kafka; when the queue is full (or the recorder is shutting down), the
     * calling thread measures the event and appends it to the spool before returning.
     */
    public void record(FinishedRequest request, Admission admission) {
        try {
            worker.execute(() -> publish(request, admission));
        } catch (RejectedExecutionException e) {
            measuredByCaller(request);
            publish(request, admission);
        }
    }

    /** Events measured and spooled by their callers because the queue was full; none of them is lost. */
    public long measuredByCallers() {
        return measuredByCallers.get();
    }

    /**
     * Turns what is still queued into events within {@code shutdown-timeout} (on this thread too, so the worker's
     * backlog is halved), then lets the spool send what it can in the time left.
     */
    void onShutdown(@Observes ShutdownEvent shutdown) throws InterruptedException {
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        worker.shutdown();
        Runnable queued;
        while ((queued = worker.getQueue().poll()) != null) {
            queued.run();
        }
        if (!worker.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            LOG.errorf("outcome=usage_recorder_stuck action=\"the event being measured is not spooled\"");
        }
        publisher.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Counts an event its caller measures, with a WARN at most once a minute while the queue stays full. */
    private void measuredByCaller(FinishedRequest request) {
        long count = measuredByCallers.incrementAndGet();
        long now = System.nanoTime();
        long since = queueFullSince.get();
        if ((since == 0 || now - since >= QUEUE_FULL_WARN_EVERY_NANOS) && queueFullSince.compareAndSet(since, now)) {
            LOG.warnf("outcome=usage_queue_full action=measured_by_caller request_id=%s client=%s "
                    + "measured_by_callers_total=%d", request.requestId(), request.key().clientId(), count);
        }
    }

    private void publish(FinishedRequest request, Admission admission) {
        try {
            Measured measured = measure(request, estimators.get(), prompts);
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

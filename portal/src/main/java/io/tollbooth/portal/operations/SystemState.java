package io.tollbooth.portal.operations;

import io.smallrye.common.annotation.Identifier;
import io.tollbooth.metering.MeteringConfig;
import io.tollbooth.portal.routing.BackendCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * What an operator checks when usage looks late or missing: how far metering's consumer is behind on each partition
 * of the usage topic, how many dead letters wait for a replay, how much usage waits for a price, whether each
 * backend answers its health URL now, and how many usage events wait in each gateway's spool (read from the
 * gateways' Prometheus pages, when configured). Each part that cannot be read says why instead of failing the rest.
 */
@ApplicationScoped
public class SystemState {

    private static final Logger LOG = Logger.getLogger(SystemState.class);
    /** The gateway's spool gauge as Prometheus names it. */
    static final String SPOOL_METRIC = "tollbooth_gateway_usage_spool_depth";

    private final MeteringConfig.Consumer metering;
    private final Map<String, Object> kafka;
    private final SystemStateConfig config;
    private final BackendCatalog catalog;
    private final OperatorRecords records;
    private final Clock clock;
    private final HttpClient http;

    SystemState(MeteringConfig metering, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            SystemStateConfig config, BackendCatalog catalog, OperatorRecords records, Clock clock) {
        this.metering = metering.consumer();
        this.kafka = kafka;
        this.config = config;
        this.catalog = catalog;
        this.records = records;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(config.probeTimeout()).build();
    }

    /**
     * One partition of a topic as a consumer group sees it.
     *
     * @param endOffset the offset the next record will get
     * @param committedOffset the group's committed offset; null when it has committed none on the partition
     * @param lag records the group has not committed yet
     */
    public record PartitionLag(int partition, long endOffset, Long committedOffset, long lag) {
    }

    /** A consumer group's lag on a topic, by partition; {@code problem} says why Kafka could not tell, else null. */
    public record TopicLag(String topic, String group, List<PartitionLag> partitions, long total, String problem) {

        static TopicLag unknown(String topic, String group, String problem) {
            return new TopicLag(topic, group, List.of(), 0, problem);
        }
    }

    /**
     * A backend's health as probed just now.
     *
     * @param health {@code up} (its health URL answered 2xx), {@code down} or {@code not checked} (no health URL)
     * @param detail what the probe got, such as {@code HTTP 503} or {@code no answer within PT2S}
     */
    public record BackendHealth(String name, String kind, String baseUrl, boolean draining, String health,
            String detail) {
    }

    /** A gateway's spool depth; {@code depth} is null and {@code problem} says why when it could not be read. */
    public record SpoolDepth(URI metricsUrl, Long depth, String problem) {
    }

    /**
     * The state of the installation, with the chosen operator's unpriced usage and backends.
     *
     * @param usageLag metering's consumer group on the usage topic
     * @param deadLetters the dead-letter topic: {@code total} is every letter kept, {@code lag} those not replayed
     * @param unpricedEvents the operator's usage events that wait for a price
     * @param spools the configured gateways' spools; empty when none is configured
     */
    public record Snapshot(Instant at, TopicLag usageLag, TopicLag deadLetters, long deadLettersKept,
            long unpricedEvents, List<BackendHealth> backends, List<SpoolDepth> spools) {
    }

    /** Reads everything; the caller runs it in a transaction for the database's part. */
    public Snapshot snapshot(UUID operatorId) {
        long unpriced = records.unpriced(operatorId).stream().mapToLong(OperatorRecords.Unpriced::events).sum();
        List<BackendCatalog.StoredBackend> backends = catalog.backends(operatorId);
        CompletableFuture<List<BackendHealth>> health = probe(backends);
        CompletableFuture<List<SpoolDepth>> spools = spoolDepths(config.gatewayMetricsUrls().orElse(List.of()));
        TopicLag usage = lag(metering.topic(), metering.groupId());
        TopicLag letters = lag(metering.deadLetterTopic(), metering.replayGroupId());
        return new Snapshot(clock.instant(), usage, letters, kept(metering.deadLetterTopic()), unpriced,
                health.join(), spools.join());
    }

    /** How far {@code group} is behind on every partition of {@code topic}; a topic not created yet has none. */
    public TopicLag lag(String topic, String group) {
        try (Admin admin = Admin.create(adminProperties())) {
            List<TopicPartition> partitions = partitions(admin, topic);
            Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> starts = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata());
            List<PartitionLag> rows = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                Long at = offset == null ? null : offset.offset();
                long from = at == null ? starts.get(partition) : Math.max(at, starts.get(partition));
                rows.add(new PartitionLag(partition.partition(), ends.get(partition), at,
                        Math.max(0, ends.get(partition) - from)));
            }
            return new TopicLag(topic, group, rows, rows.stream().mapToLong(PartitionLag::lag).sum(), null);
        } catch (KafkaUnavailable e) {
            LOG.warnf("outcome=system_state_kafka_unread topic=%s cause=\"%s\"", topic, e.getMessage());
            return TopicLag.unknown(topic, group, e.getMessage());
        }
    }

    /** The records {@code topic} keeps (from its earliest to its end offset), over all partitions; -1 if unknown. */
    public long kept(String topic) {
        try (Admin admin = Admin.create(adminProperties())) {
            List<TopicPartition> partitions = partitions(admin, topic);
            Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> starts = offsets(admin, partitions, OffsetSpec.earliest());
            return partitions.stream().mapToLong(partition -> ends.get(partition) - starts.get(partition)).sum();
        } catch (KafkaUnavailable e) {
            return -1;
        }
    }

    /** Reads the spool gauge of each gateway, all at once. */
    public CompletableFuture<List<SpoolDepth>> spoolDepths(List<URI> metricsUrls) {
        List<CompletableFuture<SpoolDepth>> reads = metricsUrls.stream().map(this::spoolDepth).toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(done -> reads.stream().map(CompletableFuture::join).toList());
    }

    /** The spool gauge's value on a Prometheus page (the sum when it is labelled); empty when the page has none. */
    static Optional<Long> spoolDepth(String page) {
        boolean found = false;
        double total = 0;
        for (String line : page.split("\n")) {
            if (line.startsWith(SPOOL_METRIC + " ") || line.startsWith(SPOOL_METRIC + "{")) {
                String sample = line.startsWith(SPOOL_METRIC + "{") ? line.substring(line.lastIndexOf('}') + 1)
                        : line.substring(SPOOL_METRIC.length());
                total += Double.parseDouble(sample.strip().split("\\s+")[0]);
                found = true;
            }
        }
        return found ? Optional.of(Math.round(total)) : Optional.empty();
    }

    private CompletableFuture<SpoolDepth> spoolDepth(URI url) {
        return get(url).handle((response, failure) -> {
            if (failure != null) {
                return new SpoolDepth(url, null, unanswered(failure));
            }
            if (response.statusCode() != 200) {
                return new SpoolDepth(url, null, "HTTP " + response.statusCode());
            }
            return spoolDepth(response.body()).map(depth -> new SpoolDepth(url, depth, null))
                    .orElseGet(() -> new SpoolDepth(url, null, "the page has no " + SPOOL_METRIC));
        });
    }

    private CompletableFuture<List<BackendHealth>> probe(List<BackendCatalog.StoredBackend> backends) {
        List<CompletableFuture<BackendHealth>> probes = backends.stream().map(this::probe).toList();
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                .thenApply(done -> probes.stream().map(CompletableFuture::join)
                        .sorted(Comparator.comparing(BackendHealth::name)).toList());
    }

    private CompletableFuture<BackendHealth> probe(BackendCatalog.StoredBackend backend) {
        Function<String[], BackendHealth> health = answer -> new BackendHealth(backend.name(), backend.kind(),
                backend.baseUrl(), backend.draining(), answer[0], answer[1]);
        if (backend.healthUrl() == null) {
            return CompletableFuture.completedFuture(health.apply(new String[] {"not checked", "no health URL"}));
        }
        return get(URI.create(backend.healthUrl())).handle((response, failure) -> {
            if (failure != null) {
                return health.apply(new String[] {"down", unanswered(failure)});
            }
            boolean up = response.statusCode() / 100 == 2;
            return health.apply(new String[] {up ? "up" : "down", "HTTP " + response.statusCode()});
        });
    }

    private CompletableFuture<HttpResponse<String>> get(URI url) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(config.probeTimeout()).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private String unanswered(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + config.probeTimeout();
        }
        return cause instanceof ConnectException ? "connection refused" : cause.getClass().getSimpleName();
    }

    private List<TopicPartition> partitions(Admin admin, String topic) {
        try {
            Map<String, TopicDescription> topics = await(admin.describeTopics(List.of(topic)).allTopicNames());
            return topics.get(topic).partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
        } catch (KafkaUnavailable e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return List.of();
            }
            throw e;
        }
    }

    private Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), partition -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> answer = await(admin.listOffsets(request).all());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        answer.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(config.kafkaTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaUnavailable(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailable("Kafka did not answer within " + config.kafkaTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable("interrupted", e);
        }
    }

    private Map<String, Object> adminProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        // Security settings (security.protocol, sasl.*, ssl.*) apply to the admin client as to the consumer.
        kafka.forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                properties.put(key, value);
            }
        });
        int timeoutMs = (int) config.kafkaTimeout().toMillis();
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "tollbooth-system-state");
        return properties;
    }

    /** Kafka could not answer a question; its message is shown to the operator. */
    private static final class KafkaUnavailable extends RuntimeException {

        KafkaUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

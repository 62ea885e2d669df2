package io.tollbooth.metering.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.common.annotation.Identifier;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.MeteringConfig;
import io.tollbooth.metering.MeteringMetrics;
import io.tollbooth.metering.ledger.EventOutcome;
import io.tollbooth.metering.ledger.ReceivedEvent;
import io.tollbooth.metering.ledger.UsageLedger;
import io.tollbooth.metering.rating.PriceBookLoader;
import io.tollbooth.metering.rating.UsageRater;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.enterprise.inject.Vetoed;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Measures metering from the real Kafka broker to the rated ledger in the real PostgreSQL, beside a plain Kafka
 * consumer and plain batched inserts of the same rows, in one run. Not a test: surefire only runs it when asked by
 * name, and it does nothing without {@code -Dtollbooth.benchmark.report=<file>}. {@code
 * docs/benchmarks/metering/run} runs it; see the README there for what each phase measures.
 *
 * <p>Settings (system properties, {@code tollbooth.benchmark.*}): {@code backlog} events drained (200000),
 * {@code rate} the target events/s (25000), offered for {@code sustain-seconds} (60), then at half the target and at
 * half the measured drain rate for {@code latency-seconds} each (60), {@code clients} spread over the topic's
 * partitions (12), {@code threads} consumer threads (2).
 */
@QuarkusTest
@TestProfile(ThroughputBenchmark.Profile.class)
@QuarkusTestResource(LocalKafkaResource.class)
class ThroughputBenchmark {

    private static final String MODEL = "gpt-4o";
    private static final BigDecimal INPUT_PER_MILLION = new BigDecimal("3.00");
    private static final BigDecimal OUTPUT_PER_MILLION = new BigDecimal("10.00");
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final int KEYS_PER_CLIENT = 3;

    /** The source of the plain inserts' rows, deleted once they are timed. */
    private static final String PLAIN_SOURCE = "bench-plain";
    private static final String PLAIN_COPY_SOURCE = "bench-copy";
    private static final int PLAIN_BATCH = 1000;

    /** The benchmark's connections, to find their PostgreSQL backends and count their CPU time. */
    static final String APPLICATION_NAME = "tollbooth-bench-" + ProcessHandle.current().pid();

    /** A rate counts as sustained while the lag stays within this many seconds of events. */
    private static final int LAG_LIMIT_SECONDS = 2;

    /** The producer's batch.size: with the default 16 KiB the producer itself cannot offer 25,000 events/s here. */
    private static final int PRODUCER_BATCH_BYTES = 512 * 1024;

    @Inject
    DataSource dataSource;

    @Inject
    PriceBookLoader priceBooks;

    @Inject
    UsageRater rater;

    @Inject
    MeteringConfig config;

    @Inject
    DeadLetters deadLetters;

    @Inject
    MeteringMetrics metrics;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final List<String> report = new ArrayList<>();
    private final MemorySampler memory = new MemorySampler();
    private CpuClock cpu;
    private UUID[] clients;
    private UUID[][] keys;

    /** Runs on test profile settings that leave the consumer to the benchmark and batch inserts as production. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollbooth.metering.consumer.enabled", "false",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema="
                            + System.getProperty("tollbooth.test.schema", "metering_bench")
                            + "&reWriteBatchedInserts=true&ApplicationName=" + APPLICATION_NAME,
                    "quarkus.datasource.jdbc.max-size", "8",
                    "quarkus.log.category.\"io.tollbooth\".level", "INFO");
        }
    }

    @Test
    void measure() throws Exception {
        String reportFile = System.getProperty("tollbooth.benchmark.report");
        Assumptions.assumeTrue(reportFile != null, "a benchmark: runs only with -Dtollbooth.benchmark.report");
        int backlog = setting("backlog", 200_000);
        int rate = setting("rate", 25_000);
        int sustainSeconds = setting("sustain-seconds", 60);
        int latencySeconds = setting("latency-seconds", 60);
        int threads = setting("threads", 2);
        createTenants(setting("clients", 12));
        cpu = new CpuClock(dataSource);
        memory.start();

        try (KafkaProducer<String, byte[]> producer = producer()) {
            line("| phase | events | seconds | events/s | CPU µs/event (JVM + broker + PostgreSQL) | notes |");
            line("|---|---:|---:|---:|---:|---|");
            Measured produced = produceBacklog(producer, backlog);
            Measured plainConsumer = plainConsumer(backlog);
            Measured plainInserts = plainInserts(backlog);
            Measured plainCopy = plainCopy(backlog);
            deletePlainRows();

            TimedLedger ledger = new TimedLedger(dataSource, priceBooks, rater, metrics);
            CpuClock.Reading drainCpu = cpu.read();
            List<UsageConsumerWorker> workers = startWorkers(threads, ledger);
            try {
                Measured drained = drain(ledger, backlog, drainCpu);
                Sustained target = sustain(producer, ledger, rate, sustainSeconds, "target rate");
                Sustained halfTarget = sustain(producer, ledger, rate / 2, latencySeconds, "half the target");
                Sustained halfDrained = sustain(producer, ledger, (int) (drained.perSecond() / 2), latencySeconds,
                        "half the drain rate");
                summary(produced, plainConsumer, plainInserts, plainCopy, drained, target, halfTarget, halfDrained);
            } finally {
                workers.forEach(UsageConsumerWorker::requestStop);
                for (UsageConsumerWorker worker : workers) {
                    worker.awaitStopped(Duration.ofSeconds(30));
                }
            }
            checkLedger(ledger.stored.sum());
        } finally {
            memory.stop();
        }
        line("");
        line("Memory (heap after the last collection and heap in use, sampled every 5 s over the whole run):");
        line("");
        report.addAll(memory.table());
        Files.writeString(Path.of(reportFile), String.join("\n", report) + "\n");
    }

    // --- phases --------------------------------------------------------------------------------------------------

    private Measured produceBacklog(KafkaProducer<String, byte[]> producer, int count) {
        CpuClock.Reading cpuStart = cpu.read();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            send(producer, "backlog", i, Instant.now());
        }
        producer.flush();
        return row("produce the backlog", count, start, cpuStart, "acks=all, idempotent, linger 5 ms, batch.size "
                + PRODUCER_BATCH_BYTES / 1024 + " KiB");
    }

    private Measured plainConsumer(int count) {
        Map<String, Object> properties = new HashMap<>(kafka);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-plain-" + runId);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.consumer().maxPollRecords());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long start = 0;
        CpuClock.Reading cpuStart = null;
        long seen = 0;
        long bytes = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(UsageEvent.TOPIC));
            while (seen < count) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                // The clock starts at the first records, as the group's join is not throughput.
                if (start == 0 && !records.isEmpty()) {
                    start = System.nanoTime();
                    cpuStart = cpu.read();
                }
                for (var record : records) {
                    bytes += record.value().length;
                }
                seen += records.count();
                consumer.commitSync();
            }
        }
        return row("plain Kafka consumer (poll, commit, no decoding)", count, start, cpuStart,
                "same topic, own group; " + bytes / count + " bytes per event");
    }

    /**
     * Inserts the event rows metering stores, as an application would without metering's work: JDBC batches of
     * {@link #PLAIN_BATCH} rows (rewritten by the driver into multi-row inserts), one transaction each. The rows are
     * built and their JSON encoded before the clock runs for each batch, as metering receives them encoded.
     */
    private Measured plainInserts(int count) throws SQLException {
        Timer timer = new Timer();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO usage_event (client_id,"
                    + " source, event_id, request_id, api_key_id, endpoint, requested_model, served_model, backend,"
                    + " stream, status, usage_source, input_tokens, cached_input_tokens, cache_write_tokens,"
                    + " output_tokens, reasoning_tokens, latency_ms, ttft_ms, occurred_at, rating_status, payload)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'RATED',"
                    + " CAST(? AS json))")) {
            connection.setAutoCommit(false);
            for (int first = 0; first < count; first += PLAIN_BATCH) {
                List<ReceivedEvent> batch = plainBatch(first, Math.min(count, first + PLAIN_BATCH));
                timer.start();
                for (ReceivedEvent event : batch) {
                    bindPlain(insert, event.event(), PLAIN_SOURCE, event.json());
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
                timer.stop();
            }
        }
        return timer.row("plain batched inserts of the same event rows", count, "into usage_event, JDBC batches of "
                + PLAIN_BATCH + " rows, one transaction each; no rating, no rated rows, no hourly totals");
    }

    /** As {@link #plainInserts}, with one {@code COPY} of each batch's rows into {@code usage_event}. */
    private Measured plainCopy(int count) throws SQLException {
        Timer timer = new Timer();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (int first = 0; first < count; first += PLAIN_BATCH) {
                List<ReceivedEvent> batch = plainBatch(first, Math.min(count, first + PLAIN_BATCH));
                timer.start();
                StringBuilder text = new StringBuilder(batch.size() * 1200);
                for (ReceivedEvent event : batch) {
                    copyRow(text, event.event(), PLAIN_COPY_SOURCE, event.json());
                }
                byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                CopyIn in = copy.copyIn("COPY usage_event (client_id, source, event_id, request_id, api_key_id,"
                        + " endpoint, requested_model, served_model, backend, stream, status, usage_source,"
                        + " input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens,"
                        + " latency_ms, ttft_ms, occurred_at, rating_status, payload) FROM STDIN");
                in.writeToCopy(bytes, 0, bytes.length);
                in.endCopy();
                connection.commit();
                timer.stop();
            }
        }
        return timer.row("COPY of the same event rows", count, "into usage_event, one COPY of " + PLAIN_BATCH
                + " rows per transaction; no rating, no rated rows, no hourly totals");
    }

    /** Takes the plain rows out again, and vacuums so that metering finds the table as if they had never been. */
    private void deletePlainRows() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM usage_event WHERE source IN ('" + PLAIN_SOURCE + "', '"
                    + PLAIN_COPY_SOURCE + "')");
            statement.execute("VACUUM (ANALYZE) usage_event");
        }
    }

    /** Events {@code from} to {@code to} of the backlog, encoded as the gateway sends them. */
    private List<ReceivedEvent> plainBatch(int from, int to) {
        List<ReceivedEvent> batch = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            UsageEvent event = event("backlog", i, Instant.now());
            batch.add(new ReceivedEvent(event, new String(UsageEventCodec.encode(event), StandardCharsets.UTF_8)));
        }
        return batch;
    }

    /**
     * Times the whole drain, and separately its last 90 %: metering's code runs for the first time here, and the JIT
     * compiler's work on it (the most CPU of any thread in a JFR recording) falls mostly into the first part.
     */
    private Measured drain(TimedLedger ledger, int count, CpuClock.Reading cpuStart) throws InterruptedException {
        int warm = count / 10;
        while (ledger.stored.sum() < warm) {
            Thread.sleep(5);
        }
        long warmNanos = System.nanoTime();
        long warmStored = ledger.stored.sum();
        CpuClock.Reading warmCpu = cpu.read();
        while (ledger.stored.sum() < count) {
            Thread.sleep(20);
        }
        Measured whole = row("metering: drain the backlog into the rated ledger", count, ledger.firstCall.get(),
                cpuStart, "decode, dedup, rate, event + rated rows + hourly totals, offsets after commit");
        row("metering: the same drain after its first " + warmStored + " events", count - warmStored, warmNanos,
                warmCpu, "JIT compilation of metering's code mostly done by then");
        return whole;
    }

    /**
     * Offers {@code rate} events/s for {@code seconds}, or until the lag passes {@link #LAG_LIMIT_SECONDS} of events
     * (the rate is not sustained then), and waits until metering has caught up.
     */
    private Sustained sustain(KafkaProducer<String, byte[]> producer, TimedLedger ledger, int rate, int seconds,
            String phase) throws InterruptedException {
        ledger.latencies.reset();
        long storedBefore = ledger.stored.sum();
        CpuClock.Reading cpuStart = cpu.read();
        long lagLimit = (long) rate * LAG_LIMIT_SECONDS;
        long start = System.nanoTime();
        long sent = 0;
        long maxLag = 0;
        long nextSample = start + 1_000_000_000L;
        long end = start + seconds * 1_000_000_000L;
        for (long now = start; now < end && maxLag <= lagLimit; now = System.nanoTime()) {
            long due = (now - start) * rate / 1_000_000_000L;
            while (sent < due) {
                send(producer, phase, (int) sent++, Instant.now());
            }
            if (now >= nextSample) {
                maxLag = Math.max(maxLag, sent - (ledger.stored.sum() - storedBefore));
                nextSample += 1_000_000_000L;
            }
            Thread.sleep(1);
        }
        long lagAtEnd = sent - (ledger.stored.sum() - storedBefore);
        long offeredNanos = System.nanoTime() - start;
        producer.flush();
        while (ledger.stored.sum() - storedBefore < sent) {
            Thread.sleep(20);
        }
        long catchUpMillis = (System.nanoTime() - start - offeredNanos) / 1_000_000;
        Sustained result = new Sustained(rate, sent * 1e9 / offeredNanos, offeredNanos / 1_000_000_000.0, maxLag,
                lagAtEnd, catchUpMillis, maxLag > lagLimit, ledger.latencies.describe());
        row("metering, " + rate + " events/s offered (" + phase + ")", sent, start, cpuStart, result.notes());
        return result;
    }

    private void summary(Measured produced, Measured plainConsumer, Measured plainInserts, Measured plainCopy,
            Measured drained, Sustained target, Sustained halfTarget, Sustained halfDrained) {
        line("");
        line(String.format(Locale.ROOT, "Metering drained %.0f events/s: %.0f %% of the plain consumer's %.0f/s,"
                + " %.0f %% of plain inserts' %.0f/s and %.0f %% of COPY's %.0f/s (the producer wrote %.0f/s).",
                drained.perSecond(), 100 * drained.perSecond() / plainConsumer.perSecond(),
                plainConsumer.perSecond(), 100 * drained.perSecond() / plainInserts.perSecond(),
                plainInserts.perSecond(), 100 * drained.perSecond() / plainCopy.perSecond(), plainCopy.perSecond(),
                produced.perSecond()));
        line("");
        line(String.format(Locale.ROOT, "CPU time per event (this JVM, the broker and the benchmark's PostgreSQL"
                + " backends): metering %.0f µs, %.2f times plain inserts' %.0f µs and %.2f times COPY's %.0f µs of"
                + " the event rows alone, measured in this run. At this CPU cost the machine's %d cores could"
                + " drain at most about %.0f events/s with nothing else running.", drained.cpuMicros(),
                drained.cpuMicros() / plainInserts.cpuMicros(), plainInserts.cpuMicros(),
                drained.cpuMicros() / plainCopy.cpuMicros(), plainCopy.cpuMicros(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors() * 1e6 / drained.cpuMicros()));
        for (Sustained phase : List.of(target, halfTarget, halfDrained)) {
            line("");
            line(String.format(Locale.ROOT, "At %d events/s offered: %s; event time to committed row %s.",
                    phase.rate(), phase.abandoned() ? "NOT sustained, the lag passed " + LAG_LIMIT_SECONDS
                    + " s of events after " + String.format(Locale.ROOT, "%.0f", phase.seconds()) + " s"
                    : "sustained for " + String.format(Locale.ROOT, "%.0f", phase.seconds()) + " s, lag at most "
                    + phase.maxLag() + " events", phase.latencies()));
        }
    }

    private void checkLedger(long stored) throws SQLException {
        // Exactly once: every event stored once and charged exactly what its tokens cost.
        String sql = "SELECT (SELECT count(*) FROM usage_event WHERE client_id = ANY (?)),"
                + " (SELECT sum(amount) FROM rated_usage WHERE client_id = ANY (?)),"
                + " (SELECT sum(input_tokens * " + INPUT_PER_MILLION + " + output_tokens * " + OUTPUT_PER_MILLION
                + ") / 1000000 FROM usage_event WHERE client_id = ANY (?)),"
                + " (SELECT sum(requests) FROM usage_hourly WHERE client_id = ANY (?))";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 1; i <= 4; i++) {
                statement.setArray(i, connection.createArrayOf("uuid", clients));
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                assertThat(row.getLong(1)).isEqualTo(stored);
                assertThat(row.getBigDecimal(2)).isEqualByComparingTo(row.getBigDecimal(3));
                assertThat(row.getLong(4)).isEqualTo(stored);
                line("");
                line("Ledger check after the run: " + row.getLong(1) + " events stored once each, charged "
                        + row.getBigDecimal(2).stripTrailingZeros().toPlainString()
                        + " USD, exactly their tokens at the plan's prices; hourly totals count the same requests.");
            }
        }
    }

    // --- events --------------------------------------------------------------------------------------------------

    private void send(KafkaProducer<String, byte[]> producer, String phase, int i, Instant time) {
        UsageEvent event = event(phase, i, time);
        producer.send(new ProducerRecord<>(UsageEvent.TOPIC, event.subject(), UsageEventCodec.encode(event)));
    }

    /** The i-th event of a phase: the same every time it is built, apart from its time. */
    private UsageEvent event(String phase, int i, Instant time) {
        int client = i % clients.length;
        String requestId = runId + "-" + phase.replace(' ', '-') + "-" + i;
        TokenCounts tokens = TokenCounts.of(1_200 + i % 500, 300 + i % 200);
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, requestId, clients[client].toString(),
                keys[client][i % KEYS_PER_CLIENT].toString(), "tb_live_ab12", "chat.completions", MODEL, MODEL,
                "simulator", true, UsageData.Status.OK, UsageData.UsageSource.REPORTED, tokens, 840, 95L);
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest(requestId), time, data);
    }

    private static void bindPlain(PreparedStatement insert, UsageEvent event, String source, String json)
            throws SQLException {
        UsageData data = event.data();
        insert.setObject(1, UUID.fromString(event.subject()));
        insert.setString(2, source);
        insert.setString(3, event.id());
        insert.setString(4, data.requestId());
        insert.setObject(5, UUID.fromString(data.apiKeyId()));
        insert.setString(6, data.endpoint());
        insert.setString(7, data.requestedModel());
        insert.setString(8, data.servedModel());
        insert.setString(9, data.backend());
        insert.setBoolean(10, data.stream());
        insert.setString(11, data.status().name());
        insert.setString(12, data.usageSource().name());
        insert.setLong(13, data.tokens().input());
        insert.setLong(14, data.tokens().cachedInput());
        insert.setLong(15, data.tokens().cacheWrite());
        insert.setLong(16, data.tokens().output());
        insert.setLong(17, data.tokens().reasoning());
        insert.setLong(18, data.latencyMs());
        insert.setLong(19, data.timeToFirstTokenMs());
        insert.setObject(20, OffsetDateTime.ofInstant(event.time(), ZoneOffset.UTC));
        insert.setString(21, json);
    }

    /** The row {@link #bindPlain} binds, in COPY's text format. */
    private static void copyRow(StringBuilder text, UsageEvent event, String source, String json) {
        UsageData data = event.data();
        TokenCounts tokens = data.tokens();
        text.append(event.subject()).append('\t').append(source).append('\t').append(event.id()).append('\t')
                .append(data.requestId()).append('\t').append(data.apiKeyId()).append('\t').append(data.endpoint())
                .append('\t').append(data.requestedModel()).append('\t').append(data.servedModel()).append('\t')
                .append(data.backend()).append('\t').append(data.stream() ? 't' : 'f').append('\t')
                .append(data.status().name()).append('\t').append(data.usageSource().name()).append('\t')
                .append(tokens.input()).append('\t').append(tokens.cachedInput()).append('\t')
                .append(tokens.cacheWrite()).append('\t').append(tokens.output()).append('\t')
                .append(tokens.reasoning()).append('\t').append(data.latencyMs()).append('\t')
                .append(data.timeToFirstTokenMs()).append('\t').append(event.time()).append("\tRATED\t");
        if (json.indexOf('\\') >= 0 || json.indexOf('\t') >= 0 || json.indexOf('\n') >= 0) {
            throw new IllegalStateException("the benchmark's JSON has a character COPY's text format escapes");
        }
        text.append(json).append('\n');
    }

    // --- set-up --------------------------------------------------------------------------------------------------

    private void createTenants(int count) throws SQLException {
        UUID operator = UUID.randomUUID();
        UUID plan = UUID.randomUUID();
        UUID model = UUID.randomUUID();
        clients = new UUID[count];
        keys = new UUID[count][KEYS_PER_CLIENT];
        try (Connection connection = dataSource.getConnection()) {
            update(connection, "INSERT INTO operator (id, slug, name, currency) VALUES (?, ?, 'Bench', 'USD')",
                    operator, "bench-" + runId);
            update(connection, "INSERT INTO price_plan (id, operator_id, name, currency) VALUES (?, ?, 'bench',"
                    + " 'USD')", plan, operator);
            update(connection, "INSERT INTO model (id, operator_id, name) VALUES (?, ?, ?)", model, operator, MODEL);
            for (var price : Map.of("input", INPUT_PER_MILLION, "output", OUTPUT_PER_MILLION).entrySet()) {
                update(connection, "INSERT INTO price (id, price_plan_id, model_id, token_kind, price_per_million,"
                        + " currency, effective_from) VALUES (?, ?, ?, ?, ?, 'USD', ?)", UUID.randomUUID(), plan,
                        model, price.getKey(), price.getValue(), OffsetDateTime.parse("2020-01-01T00:00:00Z"));
            }
            for (int i = 0; i < count; i++) {
                clients[i] = UUID.randomUUID();
                update(connection, "INSERT INTO client (id, operator_id, slug, name, currency, price_plan_id)"
                        + " VALUES (?, ?, ?, 'Load', 'USD', ?)", clients[i], operator, "load-" + i, plan);
                for (int k = 0; k < KEYS_PER_CLIENT; k++) {
                    keys[i][k] = UUID.randomUUID();
                }
            }
        }
    }

    private List<UsageConsumerWorker> startWorkers(int threads, UsageLedger ledger) {
        MeteringConfig.Consumer consumer = config.consumer();
        List<UsageConsumerWorker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String name = "bench-metering-" + i;
            UsageConsumerWorker worker = new UsageConsumerWorker(name, consumer.topic(), consumer.pollTimeout(),
                    () -> new KafkaConsumer<>(UsageConsumers.consumerProperties(kafka, consumer, name)), ledger,
                    deadLetters, new RetryBackoff(consumer.retryInitialBackoff(), consumer.retryMaxBackoff()));
            Thread thread = new Thread(worker, name);
            thread.setDaemon(true);
            thread.start();
            workers.add(worker);
        }
        return workers;
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(PRODUCER_BATCH_BYTES),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    private static void update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private static int setting(String name, int fallback) {
        return Integer.parseInt(System.getProperty("tollbooth.benchmark." + name, String.valueOf(fallback)));
    }

    // --- report --------------------------------------------------------------------------------------------------

    private Measured row(String phase, long events, long startNanos, CpuClock.Reading cpuStart, String notes) {
        return row(phase, events, (System.nanoTime() - startNanos) / 1e9, cpu.read().since(cpuStart), notes);
    }

    private Measured row(String phase, long events, double seconds, CpuClock.Used cpuUsed, String notes) {
        double perSecond = events / seconds;
        double cpuMicros = cpuUsed.total() / 1e3 / events;
        line(String.format(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.0f (%.0f + %.0f + %.0f) | %s |", phase, events,
                seconds, perSecond, cpuMicros, cpuUsed.jvm() / 1e3 / events, cpuUsed.broker() / 1e3 / events,
                cpuUsed.postgres() / 1e3 / events, notes));
        return new Measured(perSecond, cpuMicros);
    }

    private void line(String text) {
        report.add(text);
        System.out.println("[bench] " + text);
    }

    /** A phase's events per second and CPU time per event. */
    private record Measured(double perSecond, double cpuMicros) {
    }

    /** Wall and CPU time of the timed parts of a phase only. */
    private final class Timer {

        private long nanos;
        private CpuClock.Used cpuUsed = CpuClock.Used.NONE;
        private long startNanos;
        private CpuClock.Reading cpuStart;

        void start() {
            cpuStart = cpu.read();
            startNanos = System.nanoTime();
        }

        void stop() {
            nanos += System.nanoTime() - startNanos;
            cpuUsed = cpuUsed.plus(cpu.read().since(cpuStart));
        }

        Measured row(String phase, long events, String notes) {
            return ThroughputBenchmark.this.row(phase, events, nanos / 1e9, cpuUsed, notes);
        }
    }

    private record Sustained(int rate, double offered, double seconds, long maxLag, long lagAtEnd,
            long catchUpMillis, boolean abandoned, String latencies) {

        String notes() {
            return String.format(Locale.ROOT, "offered %.0f/s for %.0f s%s; lag max %d, at end %d events; caught up"
                    + " %d ms after the producer stopped", offered, seconds, abandoned ? " (stopped: lag too high)"
                    : "", maxLag, lagAtEnd, catchUpMillis);
        }
    }

    /** The real ledger, timing each stored event from its event time to the end of its committed transaction. */
    @Vetoed
    static final class TimedLedger extends UsageLedger {

        final LongAdder stored = new LongAdder();
        final Latencies latencies = new Latencies();
        /** When the first batch arrived: the clock of the drain starts there, after the group's join. */
        final AtomicLong firstCall = new AtomicLong();

        TimedLedger(DataSource dataSource, PriceBookLoader priceBooks, UsageRater rater, MeteringMetrics metrics) {
            super(dataSource, priceBooks, rater, metrics);
        }

        @Override
        public List<EventOutcome> record(List<ReceivedEvent> events) throws SQLException {
            firstCall.compareAndSet(0, System.nanoTime());
            List<EventOutcome> outcomes = super.record(events);
            long now = System.currentTimeMillis();
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i).kind() == EventOutcome.Kind.RATED) {
                    latencies.add(now - events.get(i).event().time().toEpochMilli());
                    stored.increment();
                }
            }
            return outcomes;
        }
    }

    /** Milliseconds from event time to committed row, in 1 ms buckets up to a minute. */
    static final class Latencies {

        private final AtomicLong[] buckets = new AtomicLong[60_001];

        Latencies() {
            Arrays.setAll(buckets, i -> new AtomicLong());
        }

        void add(long millis) {
            buckets[(int) Math.max(0, Math.min(millis, buckets.length - 1))].incrementAndGet();
        }

        void reset() {
            Arrays.stream(buckets).forEach(bucket -> bucket.set(0));
        }

        String describe() {
            long total = Arrays.stream(buckets).mapToLong(AtomicLong::get).sum();
            return String.format(Locale.ROOT, "p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms over %d events",
                    percentile(total, 0.5), percentile(total, 0.99), percentile(total, 0.999),
                    percentile(total, 1.0), total);
        }

        private long percentile(long total, double share) {
            long rank = (long) Math.ceil(total * share);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i].get();
                if (seen >= rank && seen > 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * CPU time used by the benchmark's JVM (metering, the producer, the baselines), the Kafka broker it started and
     * the PostgreSQL backends of its connections (found by {@link #APPLICATION_NAME}); PostgreSQL's shared processes
     * (WAL writer, checkpointer) are left out, as other people's work on the machine shares them. Linux only.
     */
    static final class CpuClock {

        private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

        private final DataSource dataSource;
        private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        CpuClock(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        Reading read() {
            Map<Long, Long> broker = new HashMap<>();
            Map<Long, Long> backendTicks = new HashMap<>();
            ProcessHandle.current().descendants().forEach(child -> broker.put(child.pid(), ticks(child.pid())));
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement backends = connection.prepareStatement(
                            "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
                backends.setString(1, APPLICATION_NAME);
                try (ResultSet rows = backends.executeQuery()) {
                    while (rows.next()) {
                        backendTicks.put(rows.getLong(1), ticks(rows.getLong(1)));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return new Reading(os.getProcessCpuTime(), broker, backendTicks);
        }

        /** User and system CPU time of a process, in clock ticks (1/100 s on Linux); 0 once it is gone. */
        private static long ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** CPU time of the JVM in nanoseconds, and of the broker's and the backends' processes in ticks by pid. */
        record Reading(long ownNanos, Map<Long, Long> brokerTicks, Map<Long, Long> backendTicks) {

            /** CPU nanoseconds used since {@code start}; a process started since then counts from its start. */
            Used since(Reading start) {
                return new Used(ownNanos - start.ownNanos(), nanos(brokerTicks, start.brokerTicks()),
                        nanos(backendTicks, start.backendTicks()));
            }

            private static long nanos(Map<Long, Long> now, Map<Long, Long> before) {
                long ticks = 0;
                for (Map.Entry<Long, Long> process : now.entrySet()) {
                    ticks += process.getValue() - before.getOrDefault(process.getKey(), 0L);
                }
                return ticks * NANOS_PER_TICK;
            }
        }

        /** CPU nanoseconds used by the JVM, the broker and the PostgreSQL backends. */
        record Used(long jvm, long broker, long postgres) {

            static final Used NONE = new Used(0, 0, 0);

            Used plus(Used other) {
                return new Used(jvm + other.jvm, broker + other.broker, postgres + other.postgres);
            }

            long total() {
                return jvm + broker + postgres;
            }
        }
    }

    /** Samples the heap every 5 s on its own thread. */
    static final class MemorySampler {

        private final List<String> rows = new ArrayList<>();
        private final long start = System.nanoTime();
        private Thread thread;

        void start() {
            thread = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        sample();
                        Thread.sleep(5_000);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-memory");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }

        private synchronized void sample() {
            long afterCollection = 0;
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    afterCollection += pool.getCollectionUsage() == null ? 0 : pool.getCollectionUsage().getUsed();
                    used += pool.getUsage().getUsed();
                }
            }
            rows.add(String.format(Locale.ROOT, "| %d | %d | %d |", (System.nanoTime() - start) / 1_000_000_000L,
                    afterCollection >> 20, used >> 20));
        }

        synchronized List<String> table() {
            List<String> table = new ArrayList<>(List.of("| s | heap after GC (MiB) | heap in use (MiB) |",
                    "|---:|---:|---:|"));
            table.addAll(rows);
            return table;
        }
    }
}

package io.tollbooth.metering.consumer;

import static io.tollbooth.metering.UsageEvents.CASE_1;
import static io.tollbooth.metering.UsageEvents.MAY;
import static io.tollbooth.metering.UsageEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.LedgerRows;
import io.tollbooth.metering.LedgerRows.EventRow;
import io.tollbooth.metering.LedgerRows.RatedRow;
import io.tollbooth.metering.MeteringConfig;
import io.tollbooth.metering.TestTenant;
import io.tollbooth.metering.UsageEvents;
import io.tollbooth.metering.UsageTopic;
import io.tollbooth.metering.ledger.UsageLedger;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.TokenKind;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Usage events published to the real Kafka broker end up in the real PostgreSQL ledger, once and exactly rated. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class UsageConsumerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    DataSource dataSource;

    @Inject
    UsageLedger usageLedger;

    @Inject
    MeteringConfig config;

    @Inject
    DeadLetters deadLetters;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private UsageTopic topic;
    private LedgerRows ledger;
    private TestTenant tenant;

    @BeforeEach
    void setUp() throws SQLException {
        topic = new UsageTopic(bootstrapServers);
        ledger = new LedgerRows(dataSource);
        tenant = TestTenant.create(dataSource);
    }

    @AfterEach
    void tearDown() {
        topic.close();
    }

    @Test
    void storesAnEventAndRatesEachTokenKindAtFullPrecision() throws Exception {
        UsageEvent event = event(tenant.clientId(), "gpt-4o", CASE_1, MAY);

        topic.publish(event);

        awaitRatedRows(3);
        assertThat(ledger.events(tenant.clientId()))
                .extracting(EventRow::eventId, EventRow::status, EventRow::ratingStatus, EventRow::inputTokens,
                        EventRow::cachedInputTokens, EventRow::outputTokens, EventRow::payloadId)
                .containsExactly(tuple(event.id(), "OK", "RATED", 239L, 15_872L, 2L, event.id()));
        assertThat(ledger.rated(tenant.clientId()))
                .extracting(RatedRow::tokenKind, RatedRow::quantity, RatedRow::priceId, RatedRow::pricePerMillion,
                        RatedRow::amount, RatedRow::currency)
                .containsExactly(
                        tuple("input", 239L, tenant.inputPriceId(), "2.5", "0.0005975", "USD"),
                        tuple("cached_input", 15_872L, tenant.cachedInputPriceId(), "1.25", "0.01984", "USD"),
                        tuple("output", 2L, tenant.outputPriceId(), "10", "0.00002", "USD"));
        assertThat(ledger.total(tenant.clientId())).isEqualTo("0.0204575");
    }

    @Test
    void changesNothingWhenTheSameEventIsDeliveredAgain() throws Exception {
        UsageEvent event = event(tenant.clientId(), "gpt-4o", CASE_1, MAY);

        topic.publish(event);
        topic.publish(event);
        awaitAllConsumed();
        topic.publish(event);
        awaitAllConsumed();

        assertThat(ledger.events(tenant.clientId())).hasSize(1);
        assertThat(ledger.rated(tenant.clientId())).hasSize(3);
        assertThat(ledger.total(tenant.clientId())).isEqualTo("0.0204575");
    }

    @Test
    void ratesEachEventAtThePriceValidWhenItHappened() throws Exception {
        UsageEvent lastOldPrice = event(tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 0),
                TestTenant.INPUT_PRICE_CHANGE.minusSeconds(1));
        UsageEvent firstNewPrice = event(tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 0),
                TestTenant.INPUT_PRICE_CHANGE);

        topic.publish(firstNewPrice);
        topic.publish(lastOldPrice);

        awaitRatedRows(2);
        assertThat(ledger.rated(tenant.clientId()))
                .extracting(RatedRow::eventId, RatedRow::priceId, RatedRow::amount)
                .containsExactly(
                        tuple(lastOldPrice.id(), tenant.inputPriceId(), "0.0025"),
                        tuple(firstNewPrice.id(), tenant.inputPriceFromJuneId(), "0.003"));
    }

    @Test
    void storesAnEventForAnUnknownModelAsUnpricedWithoutAmounts() throws Exception {
        // Case 11: a model name the operator has no price for is never rated as zero.
        UsageEvent event = event(tenant.clientId(), "gpt-4o-2099-01-01", TokenCounts.of(1_000, 500), MAY);

        topic.publish(event);

        awaitEvents(1);
        assertThat(ledger.events(tenant.clientId())).extracting(EventRow::eventId, EventRow::ratingStatus)
                .containsExactly(tuple(event.id(), "UNPRICED"));
        assertThat(ledger.rated(tenant.clientId())).isEmpty();
    }

    @Test
    void storesARejectedEventWithoutRatingIt() throws Exception {
        UsageEvent event = event(tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 500), MAY,
                UsageData.Status.REJECTED);

        topic.publish(event);

        awaitEvents(1);
        assertThat(ledger.events(tenant.clientId())).extracting(EventRow::status, EventRow::ratingStatus)
                .containsExactly(tuple("REJECTED", "REJECTED"));
        assertThat(ledger.rated(tenant.clientId())).isEmpty();
    }

    @Test
    void skipsAMalformedRecordAndStoresTheEventsAroundIt() throws Exception {
        UsageEvent before = event(tenant.clientId(), "gpt-4o", TokenCounts.of(100, 10), MAY);
        UsageEvent after = event(tenant.clientId(), "gpt-4o", TokenCounts.of(200, 20), MAY.plusSeconds(1));

        topic.publish(before);
        topic.publishRaw(tenant.clientId(), "{\"specversion\":\"1.0\",\"id\":".getBytes(StandardCharsets.UTF_8));
        topic.publish(after);

        awaitAllConsumed();
        assertThat(ledger.events(tenant.clientId())).extracting(EventRow::eventId)
                .containsExactly(before.id(), after.id());
        assertThat(ledger.total(tenant.clientId())).isEqualTo("0.00105");
    }

    @Test
    void skipsAnEventForAnUnknownClientAndStoresTheRest() throws Exception {
        UUID stranger = UUID.randomUUID();
        UsageEvent known = event(tenant.clientId(), "gpt-4o", TokenCounts.of(100, 10), MAY);

        topic.publish(event(stranger, "gpt-4o", TokenCounts.of(100, 10), MAY));
        topic.publish(known);

        awaitAllConsumed();
        assertThat(ledger.events(stranger)).isEmpty();
        assertThat(ledger.events(tenant.clientId())).extracting(EventRow::eventId).containsExactly(known.id());
    }

    @Test
    void commitsTheGroupsOffsetsOnceTheBatchIsStored() throws Exception {
        topic.publish(event(tenant.clientId(), "gpt-4o", TokenCounts.of(100, 10), MAY));
        topic.publish(event(tenant.clientId(), "gpt-4o", TokenCounts.of(100, 10), MAY));
        RecordMetadata last = topic.publish(event(tenant.clientId(), "gpt-4o", TokenCounts.of(100, 10), MAY));
        TopicPartition partition = new TopicPartition(last.topic(), last.partition());

        awaitEvents(3);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topic.committedOffsets())
                .containsEntry(partition, last.offset() + 1)
                .containsAllEntriesOf(topic.endOffsets()));
    }

    @Test
    void readsABatchAgainUntilTheDatabaseStoresItAndThenStoresItOnce() throws Exception {
        String name = "refuse_" + tenant.clientId().toString().replace('-', '_');
        execute("CREATE SEQUENCE " + name,
                "CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " PERFORM nextval('" + name + "'); RAISE EXCEPTION 'simulated database failure'; END $$",
                "CREATE TRIGGER " + name + " BEFORE INSERT ON rated_usage FOR EACH ROW WHEN (NEW.client_id = '"
                        + tenant.clientId() + "') EXECUTE FUNCTION " + name + "()");
        try {
            RecordMetadata published = topic.publish(event(tenant.clientId(), "gpt-4o", CASE_1, MAY));
            TopicPartition partition = new TopicPartition(published.topic(), published.partition());

            await().atMost(PATIENCE).until(() -> failedWrites(name) >= 3);
            assertThat(ledger.events(tenant.clientId())).isEmpty();
            assertThat(topic.committedOffsets().getOrDefault(partition, 0L)).isLessThanOrEqualTo(published.offset());
        } finally {
            execute("DROP TRIGGER " + name + " ON rated_usage", "DROP FUNCTION " + name + "()",
                    "DROP SEQUENCE " + name);
        }

        awaitAllConsumed();
        assertThat(ledger.events(tenant.clientId())).hasSize(1);
        assertThat(ledger.total(tenant.clientId())).isEqualTo("0.0204575");
    }

    @Test
    void leavesOutAnEventTheDatabaseRefusesAndStoresTheRest() throws Exception {
        UsageEvent oversized = UsageEvents.withOversizedId(tenant.clientId());
        UsageEvent before = event(tenant.clientId(), "gpt-4o", TokenCounts.of(100, 10), MAY);
        UsageEvent after = event(tenant.clientId(), "gpt-4o", TokenCounts.of(200, 20), MAY.plusSeconds(1));

        topic.publish(before);
        topic.publish(oversized);
        topic.publish(after);

        awaitAllConsumed();
        assertThat(ledger.events(tenant.clientId())).extracting(EventRow::eventId)
                .containsExactly(before.id(), after.id());
    }

    @Test
    void changesNoTotalWhenAConsumerJoinsAndLeavesTheGroup() throws Exception {
        UsageConsumerWorker joiner = new UsageConsumerWorker("test-joiner", UsageEvent.TOPIC, Duration.ofMillis(100),
                () -> new KafkaConsumer<>(UsageConsumers.consumerProperties(kafka, config.consumer(), "test-joiner")),
                usageLedger, deadLetters, new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
        new Thread(joiner, "test-joiner").start();
        await().atMost(PATIENCE).until(() -> !topic.assignedTo("test-joiner").isEmpty());
        int partition = topic.assignedTo("test-joiner").iterator().next().partition();

        // The joiner stores the first half; when it leaves, its partition moves to the other members mid-stream.
        publishThousandInputTokens(partition, 0, 20);
        joiner.requestStop();
        publishThousandInputTokens(partition, 20, 20);
        assertThat(joiner.awaitStopped(PATIENCE)).isTrue();

        awaitAllConsumed();
        assertThat(ledger.events(tenant.clientId())).hasSize(40);
        assertThat(ledger.total(tenant.clientId())).isEqualTo("0.1");
    }

    /** Publishes events of 1,000 input tokens each, at 0.0025 each, to one partition. */
    private void publishThousandInputTokens(int partition, int first, int count) throws Exception {
        for (int i = first; i < first + count; i++) {
            UsageEvent event = event(tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 0), MAY.plusSeconds(i));
            topic.publishTo(partition, event);
        }
    }

    private void awaitEvents(int count) {
        await().atMost(PATIENCE).until(() -> ledger.events(tenant.clientId()).size() >= count);
    }

    private void awaitRatedRows(int count) {
        await().atMost(PATIENCE).until(() -> ledger.rated(tenant.clientId()).size() >= count);
    }

    /** Waits until the group has committed every record published so far, which it does only once they are stored. */
    private void awaitAllConsumed() {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topic.committedOffsets())
                .containsAllEntriesOf(topic.endOffsets()));
    }

    private long failedWrites(String sequence) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM "
                        + sequence)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}

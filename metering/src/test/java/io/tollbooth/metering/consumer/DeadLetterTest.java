package io.tollbooth.metering.consumer;

import static io.tollbooth.metering.UsageEvents.MAY;
import static io.tollbooth.metering.UsageEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.LedgerRows;
import io.tollbooth.metering.LedgerRows.RatedRow;
import io.tollbooth.metering.MeteringMetrics;
import io.tollbooth.metering.TestTenant;
import io.tollbooth.metering.UsageTopic;
import io.tollbooth.metering.UsageTopic.ReadRecord;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records metering cannot store go to the dead-letter topic with their reason, and come back when replayed. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class DeadLetterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    DataSource dataSource;

    @Inject
    DeadLetters deadLetters;

    @Inject
    DeadLetterReplay replay;

    @Inject
    MeteringMetrics metrics;

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
    void publishesAnUnreadableRecordAsItArrivedWithItsReasonAndOrigin() throws Exception {
        byte[] truncated = "{\"specversion\":\"1.0\",\"id\":".getBytes(StandardCharsets.UTF_8);
        double countedBefore = metrics.deadLetters("unreadable");

        RecordMetadata published = topic.publishRaw(tenant.clientId(), truncated);

        await().atMost(PATIENCE).until(() -> !letters(tenant.clientId()).isEmpty());
        await().atMost(PATIENCE).until(() -> metrics.deadLetters("unreadable") > countedBefore);
        assertThat(metrics.deadLetters("unreadable")).isEqualTo(countedBefore + 1);
        ReadRecord letter = letters(tenant.clientId()).get(0);
        assertThat(letter.value()).isEqualTo(truncated);
        assertThat(letter.headers().get(DeadLetters.REASON)).startsWith("unreadable: ");
        assertThat(letter.headers()).containsEntry(DeadLetters.ORIGIN,
                UsageEvent.TOPIC + "/" + published.partition() + "/" + published.offset());
        assertThat(ledger.events(tenant.clientId())).isEmpty();
    }

    @Test
    void replaysAnEventForAClientCreatedAfterItArrivedIntoTheLedgerOnce() throws Exception {
        UUID newcomer = UUID.randomUUID();
        UsageEvent early = event(newcomer, "gpt-4o", TokenCounts.of(1_000, 100), MAY);
        double countedBefore = metrics.deadLetters("unknown_client");
        topic.publish(early);
        await().atMost(PATIENCE).until(() -> !letters(newcomer).isEmpty());
        await().atMost(PATIENCE).until(() -> metrics.deadLetters("unknown_client") > countedBefore);
        assertThat(metrics.deadLetters("unknown_client")).isEqualTo(countedBefore + 1);
        assertThat(letters(newcomer)).extracting(letter -> letter.headers().get(DeadLetters.REASON))
                .containsExactly("UNKNOWN_CLIENT: no client with this id");

        createClient(newcomer);
        long replayed = replay.replay(PATIENCE);

        assertThat(replayed).isGreaterThanOrEqualTo(1);
        await().atMost(PATIENCE).until(() -> ledger.rated(newcomer).size() == 2);
        assertThat(ledger.rated(newcomer)).extracting(RatedRow::eventId, RatedRow::tokenKind, RatedRow::amount)
                .containsExactly(tuple(early.id(), "input", "0.0025"), tuple(early.id(), "output", "0.001"));
        assertThat(ledger.total(newcomer)).isEqualTo("0.0035");
        assertThat(letters(newcomer)).hasSize(1);
        assertThat(UsageEventCodec.decode(letters(newcomer).get(0).value())).isEqualTo(early);
    }

    private List<ReadRecord> letters(UUID clientId) {
        return topic.read(deadLetters.topic(), clientId.toString());
    }

    /** A client of the tenant's operator and plan, with the given id. */
    private void createClient(UUID clientId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO client (id, operator_id, slug,"
                        + " name, currency, price_plan_id) VALUES (?, ?, ?, 'Newcomer', 'USD', ?)")) {
            insert.setObject(1, clientId);
            insert.setObject(2, tenant.operatorId());
            insert.setString(3, "newcomer-" + clientId);
            insert.setObject(4, tenant.planId());
            insert.executeUpdate();
        }
    }
}

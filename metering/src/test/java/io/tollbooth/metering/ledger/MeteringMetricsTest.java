package io.tollbooth.metering.ledger;

import static io.tollbooth.metering.UsageEvents.CASE_1;
import static io.tollbooth.metering.UsageEvents.MAY;
import static io.tollbooth.metering.UsageEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.MeteringMetrics;
import io.tollbooth.metering.TestTenant;
import io.tollbooth.metering.UsageEvents;
import io.tollbooth.metering.rating.PriceBookLoader;
import io.tollbooth.metering.rating.UsageRater;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger counts every event it is given by outcome, once its transaction committed. Each test counts into a
 * registry of its own, so the application's consumer threads cannot move the numbers.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class MeteringMetricsTest {

    @Inject
    DataSource dataSource;

    @Inject
    PriceBookLoader priceBooks;

    @Inject
    UsageRater rater;

    @Inject
    MeterRegistry applicationRegistry;

    private MeterRegistry registry;
    private UsageLedger ledger;
    private TestTenant tenant;

    @BeforeEach
    void setUp() throws SQLException {
        registry = new SimpleMeterRegistry();
        ledger = new UsageLedger(dataSource, priceBooks, rater, new MeteringMetrics(registry));
        tenant = TestTenant.create(dataSource);
    }

    @Test
    void countsEveryEventOfACommittedBatchByOutcome() throws SQLException {
        ReceivedEvent rated = received(event(tenant.clientId(), "gpt-4o", CASE_1, MAY));

        ledger.record(List.of(
                received(event(tenant.clientId(), "gpt-4o-2099-01-01", TokenCounts.of(1_000, 500), MAY)),
                received(event(UUID.randomUUID(), "gpt-4o", TokenCounts.of(1, 1), MAY)),
                received(withSubject(event(UUID.randomUUID(), "gpt-4o", TokenCounts.of(1, 1), MAY),
                        tenant.clientId())),
                received(event(tenant.clientId(), "gpt-4o", TokenCounts.of(1, 1), MAY, UsageData.Status.REJECTED)),
                rated,
                rated));
        ledger.record(List.of(rated));

        assertThat(counts()).containsExactlyEntriesOf(new TreeMap<>(Map.of("duplicate", 2.0, "invalid", 1.0,
                "rated", 1.0, "rejected", 1.0, "unknown_client", 1.0, "unpriced", 1.0)));
    }

    @Test
    void countsABatchStoredAgainOneByOneOnlyOnce() throws SQLException {
        ReceivedEvent refused = received(UsageEvents.withOversizedId(tenant.clientId()));
        ReceivedEvent fine = received(event(tenant.clientId(), "gpt-4o", TokenCounts.of(1, 1), MAY));

        ledger.record(List.of(refused, fine));

        assertThat(counts()).containsExactlyEntriesOf(new TreeMap<>(Map.of("duplicate", 0.0, "invalid", 1.0,
                "rated", 1.0, "rejected", 0.0, "unknown_client", 0.0, "unpriced", 0.0)));
    }

    @Test
    void exportsTheCountersAndEachConsumersLagFromTheStart() {
        assertThat(applicationRegistry.find("tollbooth.metering.events").counters()).hasSize(6);
        assertThat(applicationRegistry.find("tollbooth.metering.consumer.lag").gauges())
                .extracting(gauge -> gauge.getId().getTag("consumer"))
                .containsExactlyInAnyOrder("tollbooth-metering-0", "tollbooth-metering-1");
    }

    private Map<String, Double> counts() {
        Map<String, Double> counts = new TreeMap<>();
        registry.find("tollbooth.metering.events").counters()
                .forEach(counter -> counts.put(counter.getId().getTag("outcome"), counter.count()));
        return counts;
    }

    private static UsageEvent withSubject(UsageEvent event, UUID clientId) {
        return new UsageEvent(event.specVersion(), event.type(), event.source(), event.id(), event.time(),
                clientId.toString(), event.dataContentType(), event.data());
    }

    private static ReceivedEvent received(UsageEvent event) {
        return new ReceivedEvent(event, UsageEventCodec.toJson(event));
    }
}

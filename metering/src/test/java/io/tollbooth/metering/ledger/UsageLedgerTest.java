package io.tollbooth.metering.ledger;

import static io.tollbooth.metering.UsageEvents.CASE_1;
import static io.tollbooth.metering.UsageEvents.MAY;
import static io.tollbooth.metering.UsageEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.LedgerRows;
import io.tollbooth.metering.TestTenant;
import io.tollbooth.metering.UsageEvents;
import io.tollbooth.metering.ledger.EventOutcome.Kind;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger on its own, without Kafka: what it reports for each event of a batch and what it keeps. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class UsageLedgerTest {

    @Inject
    UsageLedger ledger;

    @Inject
    DataSource dataSource;

    private TestTenant tenant;
    private LedgerRows rows;

    @BeforeEach
    void setUp() throws SQLException {
        tenant = TestTenant.create(dataSource);
        rows = new LedgerRows(dataSource);
    }

    @Test
    void storesAnEventRepeatedWithinABatchOnce() throws SQLException {
        ReceivedEvent event = received(event(tenant.clientId(), "gpt-4o", CASE_1, MAY));

        List<EventOutcome> first = ledger.record(List.of(event, event));
        List<EventOutcome> again = ledger.record(List.of(event));

        assertThat(first).extracting(EventOutcome::kind).containsExactly(Kind.RATED, Kind.DUPLICATE);
        assertThat(again).extracting(EventOutcome::kind).containsExactly(Kind.DUPLICATE);
        assertThat(rows.events(tenant.clientId())).hasSize(1);
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.0204575");
    }

    @Test
    void reportsEachEventsOutcomeInTheOrderGiven() throws SQLException {
        UUID stranger = UUID.randomUUID();
        UsageEvent mismatched = UsageEvent.of(UsageEvent.GATEWAY_SOURCE, "usage-mismatch", MAY,
                event(stranger, "gpt-4o", TokenCounts.of(1, 1), MAY).data());

        List<EventOutcome> outcomes = ledger.record(List.of(
                received(event(tenant.clientId(), "gpt-4o-2099-01-01", TokenCounts.of(1_000, 500), MAY)),
                received(event(stranger, "gpt-4o", TokenCounts.of(1, 1), MAY)),
                received(withSubject(mismatched, tenant.clientId())),
                received(event(tenant.clientId(), "gpt-4o", TokenCounts.of(1, 1), MAY, UsageData.Status.REJECTED)),
                received(event(tenant.clientId(), "gpt-4o", TokenCounts.of(1, 1), MAY))));

        assertThat(outcomes).extracting(EventOutcome::kind, EventOutcome::detail).containsExactly(
                tuple(Kind.UNPRICED, "model 'gpt-4o-2099-01-01' is not in the operator's catalogue"),
                tuple(Kind.UNKNOWN_CLIENT, "no client with this id"),
                tuple(Kind.INVALID, "subject and data.clientId name different clients"),
                tuple(Kind.REJECTED, null),
                tuple(Kind.RATED, null));
        assertThat(rows.events(tenant.clientId())).hasSize(3);
    }

    @Test
    void storesAndRatesAnEventWithoutItsOptionalFields() throws SQLException {
        ReceivedEvent event = received(UsageEvents.withoutOptionalFields(tenant.clientId(), TokenCounts.of(1_200, 0)));

        List<EventOutcome> outcomes = ledger.record(List.of(event));

        assertThat(outcomes).extracting(EventOutcome::kind).containsExactly(Kind.RATED);
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.003");
    }

    @Test
    void leavesOutOnlyTheEventsTheDatabaseRefuses() throws SQLException {
        ReceivedEvent refused = received(UsageEvents.withOversizedId(tenant.clientId()));
        ReceivedEvent fine = received(event(tenant.clientId(), "gpt-4o", TokenCounts.of(1, 1), MAY));

        List<EventOutcome> alone = ledger.record(List.of(refused));
        List<EventOutcome> inABatch = ledger.record(List.of(refused, fine));

        assertThat(alone).extracting(EventOutcome::kind).containsExactly(Kind.INVALID);
        assertThat(alone.get(0).detail()).startsWith("refused by the database: 54000");
        assertThat(inABatch).extracting(EventOutcome::kind).containsExactly(Kind.INVALID, Kind.RATED);
        assertThat(rows.events(tenant.clientId())).hasSize(1);
    }

    @Test
    void keepsTheEventAsItArrivedIncludingFieldsItDoesNotRead() throws SQLException {
        UsageEvent event = event(tenant.clientId(), "gpt-4o", TokenCounts.of(10, 1), MAY);
        String json = UsageEventCodec.toJson(event).replaceFirst("\\{", "{\"tollboothextension\":\"kept\",");

        ledger.record(List.of(new ReceivedEvent(UsageEventCodec.decode(json.getBytes(StandardCharsets.UTF_8)), json)));

        assertThat(payloadField(event.id(), "tollboothextension")).isEqualTo("kept");
    }

    @Test
    void keepsTextWithTheCharactersCopyEscapesExactly() throws SQLException {
        String requestId = "req\\with\ttab\nand\rline";
        UsageEvent event = UsageEvents.withRequestId(requestId, tenant.clientId(), "gpt-4o", TokenCounts.of(10, 1),
                MAY, UsageData.Status.OK);
        // Laid out with tabs and line breaks between the members, as some producers write JSON.
        String json = UsageEventCodec.toJson(event).replace(",\"", ",\n\t\"");

        List<EventOutcome> outcomes = ledger.record(List.of(
                new ReceivedEvent(UsageEventCodec.decode(json.getBytes(StandardCharsets.UTF_8)), json)));

        assertThat(outcomes).extracting(EventOutcome::kind).containsExactly(Kind.RATED);
        assertThat(stored(event.id(), "request_id")).isEqualTo(requestId);
        assertThat(stored(event.id(), "payload::text")).isEqualTo(json);
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.000035");
    }

    private static ReceivedEvent received(UsageEvent event) {
        return new ReceivedEvent(event, UsageEventCodec.toJson(event));
    }

    private static UsageEvent withSubject(UsageEvent event, UUID subject) {
        return new UsageEvent(event.specVersion(), event.type(), event.source(), event.id(), event.time(),
                subject.toString(), event.dataContentType(), event.data());
    }

    private String payloadField(String eventId, String field) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT payload ->> ? FROM usage_event WHERE client_id = ? AND event_id = ?")) {
            query.setString(1, field);
            query.setObject(2, tenant.clientId());
            query.setString(3, eventId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }

    private String stored(String eventId, String column) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT " + column + " FROM usage_event WHERE client_id = ? AND event_id = ?")) {
            query.setObject(1, tenant.clientId());
            query.setString(2, eventId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }
}

package io.tollbooth.metering.ledger;

import static io.tollbooth.metering.UsageEvents.MAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.LedgerRows;
import io.tollbooth.metering.LedgerRows.EventRow;
import io.tollbooth.metering.LedgerRows.EventTotal;
import io.tollbooth.metering.PlanT;
import io.tollbooth.metering.ledger.EventOutcome.Kind;
import io.tollbooth.metering.pricebook.ClientPricing;
import io.tollbooth.metering.pricebook.CostPrices;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metering and rating cases of CASES.md, each with its exact amounts, through the ledger in PostgreSQL: the
 * operator's cost is PLAN-T and the client {@code tenant-acme} is charged 20 % above it, so every case checks both
 * the cost and the client's charge at full precision.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class PlanTCasesTest {

    @Inject
    DataSource dataSource;

    @Inject
    UsageLedger ledger;

    @Inject
    CostPrices costs;

    @Inject
    ClientPricing pricing;

    private PlanT tenant;
    private LedgerRows rows;
    private int sequence;

    @BeforeEach
    void setUp() throws SQLException {
        tenant = PlanT.create(dataSource, costs, pricing);
        rows = new LedgerRows(dataSource);
    }

    @Test
    void case6RatesAStreamedRequestWithAReportedZeroCostLikeTheSameRequestUnstreamed() throws SQLException {
        UsageEvent plain = event("gpt-4o", TokenCounts.of(1_200, 300), false, null);
        UsageEvent streamedWithZeroCost = event("gpt-4o", TokenCounts.of(1_200, 300), true, BigDecimal.ZERO);

        record(plain, streamedWithZeroCost);

        assertThat(rows.eventTotals(tenant.clientId()))
                .extracting(EventTotal::eventId, EventTotal::cost, EventTotal::charge)
                .containsExactly(
                        tuple(plain.id(), "0.006", "0.0072"),
                        tuple(streamedWithZeroCost.id(), "0.006", "0.0072"));
    }

    @Test
    void case8ChargesCachedPromptTokensOnceAtTheCachedRate() throws SQLException {
        // prompt 2,006 of which 1,920 cached; prompt 1,043 of which 1,024 cached.
        UsageEvent first = event("gpt-4o", new TokenCounts(86, 1_920, 0, 300, 0), false, null);
        UsageEvent second = event("gpt-4o", new TokenCounts(19, 1_024, 0, 35, 0), true, null);

        record(first, second);

        assertThat(rows.eventTotals(tenant.clientId()))
                .extracting(EventTotal::cost, EventTotal::charge)
                .containsExactly(tuple("0.005615", "0.006738"), tuple("0.0016775", "0.002013"));
    }

    @Test
    void case9ChargesAnthropicCacheReadsAndWritesEachAtTheirOwnRate() throws SQLException {
        UsageEvent event = event("claude-sonnet", new TokenCounts(1, 96_560, 225, 82, 0), false, null);

        record(event);

        assertThat(rows.eventTotals(tenant.clientId()))
                .extracting(EventTotal::cost, EventTotal::charge)
                .containsExactly(tuple("0.03104475", "0.0372537"));
        assertThat(event.data().tokens().promptTotal()).isEqualTo(96_786);
        assertThat(rows.charges(tenant.clientId()))
                .allSatisfy(row -> assertThat(new BigDecimal(row.amount())).isPositive());
    }

    @Test
    void case10BillsReasoningTokensOnlyAsPartOfTheOutput() throws SQLException {
        UsageEvent nonStreamed = event("o4-mini", new TokenCounts(17, 0, 0, 482, 448), false, null);
        UsageEvent streamed = event("o4-mini", new TokenCounts(13, 0, 0, 83, 64), true, null);

        record(nonStreamed, streamed);

        assertThat(rows.eventTotals(tenant.clientId()))
                .extracting(EventTotal::cost, EventTotal::charge)
                .containsExactly(tuple("0.0021395", "0.0025674"), tuple("0.0003795", "0.0004554"));
        assertThat(nonStreamed.data().tokens().total()).isEqualTo(499);
    }

    @Test
    void case11StoresUsageOfAModelWithoutAPriceAsUnpricedNeverAsZero() throws SQLException {
        UsageEvent snapshot = event("gpt-4o-2099-01-01", TokenCounts.of(1_000, 500), false, null);

        List<EventOutcome> outcomes = record(snapshot);

        assertThat(outcomes).extracting(EventOutcome::kind).containsExactly(Kind.UNPRICED);
        assertThat(rows.events(tenant.clientId())).extracting(EventRow::ratingStatus).containsExactly("UNPRICED");
        assertThat(rows.rated(tenant.clientId())).isEmpty();
    }

    @Test
    void case16StoresAnEventWhoseFirstWriteFailedOnceWhenItIsRetried() throws SQLException {
        UsageEvent event = withRequestId("req-42", TokenCounts.of(1_000, 100));
        String trigger = "refuse_" + tenant.clientId().toString().replace('-', '_');
        execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " RAISE EXCEPTION 'simulated write timeout'; END $$",
                "CREATE TRIGGER " + trigger + " BEFORE INSERT ON rated_usage FOR EACH ROW WHEN (NEW.client_id = '"
                        + tenant.clientId() + "') EXECUTE FUNCTION " + trigger + "()");
        try {
            assertThatThrownBy(() -> record(event)).isInstanceOf(SQLException.class);
            assertThat(rows.events(tenant.clientId())).isEmpty();
        } finally {
            execute("DROP TRIGGER " + trigger + " ON rated_usage", "DROP FUNCTION " + trigger + "()");
        }

        List<EventOutcome> retried = record(withRequestId("req-42", TokenCounts.of(1_000, 100)));
        List<EventOutcome> again = record(withRequestId("req-42", TokenCounts.of(1_000, 100)));

        assertThat(retried).extracting(EventOutcome::kind).containsExactly(Kind.RATED);
        assertThat(again).extracting(EventOutcome::kind).containsExactly(Kind.DUPLICATE);
        assertThat(rows.events(tenant.clientId())).extracting(EventRow::eventId).containsExactly("usage-req-42");
        assertThat(rows.costTotal(tenant.clientId())).isEqualTo("0.0035");
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.0042");
    }

    @Test
    void case17AcknowledgesAResentBatchAsDuplicatesAndStoresOnlyTheNewEvent() throws SQLException {
        List<UsageEvent> batch = Stream.of("u1", "u2", "u3")
                .map(id -> withRequestId(id, TokenCounts.of(1_000, 100))).toList();

        List<EventOutcome> first = record(batch.toArray(UsageEvent[]::new));
        List<EventOutcome> resent = record(batch.toArray(UsageEvent[]::new));
        String costAfterResend = rows.costTotal(tenant.clientId());
        List<EventOutcome> next = record(withRequestId("u3", TokenCounts.of(1_000, 100)),
                withRequestId("u4", TokenCounts.of(1_000, 100)));

        assertThat(first).extracting(EventOutcome::kind).containsExactly(Kind.RATED, Kind.RATED, Kind.RATED);
        assertThat(resent).extracting(EventOutcome::kind)
                .containsExactly(Kind.DUPLICATE, Kind.DUPLICATE, Kind.DUPLICATE);
        assertThat(costAfterResend).isEqualTo("0.0105");
        assertThat(next).extracting(EventOutcome::kind).containsExactly(Kind.DUPLICATE, Kind.RATED);
        assertThat(rows.events(tenant.clientId())).extracting(EventRow::eventId)
                .containsExactlyInAnyOrder("usage-u1", "usage-u2", "usage-u3", "usage-u4");
        assertThat(rows.costTotal(tenant.clientId())).isEqualTo("0.014");
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.0168");
    }

    private List<EventOutcome> record(UsageEvent... events) throws SQLException {
        return ledger.record(Stream.of(events).map(event -> new ReceivedEvent(event, UsageEventCodec.toJson(event)))
                .toList());
    }

    /** A request of the tenant, each a second after the last so that the order of events is the order given. */
    private UsageEvent event(String model, TokenCounts tokens, boolean stream, BigDecimal reportedCost) {
        return event(UUID.randomUUID().toString(), model, tokens, stream, reportedCost, MAY.plusSeconds(sequence++));
    }

    /** A gateway request whose event id derives from {@code requestId}, as every retry of it derives the same. */
    private UsageEvent withRequestId(String requestId, TokenCounts tokens) {
        return event(requestId, "gpt-4o", tokens, false, null, MAY);
    }

    private UsageEvent event(String requestId, String model, TokenCounts tokens, boolean stream,
            BigDecimal reportedCost, Instant at) {
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, requestId, tenant.clientId().toString(), null,
                null, "chat.completions", model, model, "simulator", stream, UsageData.Status.OK,
                UsageData.UsageSource.REPORTED, tokens, 300, 40L, null, reportedCost, null);
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest(requestId), at, data);
    }

    private void execute(String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}

package io.tollbooth.metering.ingest;

import static io.tollbooth.metering.UsageEvents.MAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.LedgerRows;
import io.tollbooth.metering.PlanT;
import io.tollbooth.metering.UsageEvents;
import io.tollbooth.metering.ledger.EventOutcome.Kind;
import io.tollbooth.metering.pricebook.Change;
import io.tollbooth.metering.pricebook.ClientPricing;
import io.tollbooth.metering.pricebook.CostPrices;
import io.tollbooth.metering.pricebook.NewPrice;
import io.tollbooth.metering.rating.UsageUnit;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Usage posted outside the gateway: idempotent batches of the caller's own events, and LiteLLM's callback. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class UsageIngestionTest {

    @Inject
    DataSource dataSource;

    @Inject
    UsageIngestion ingestion;

    @Inject
    CostPrices costs;

    @Inject
    ClientPricing pricing;

    private PlanT tenant;
    private LedgerRows rows;

    @BeforeEach
    void setUp() throws SQLException {
        tenant = PlanT.create(dataSource, costs, pricing);
        rows = new LedgerRows(dataSource);
    }

    @Test
    void case17AcknowledgesEveryEventOfAResentBatchAsADuplicate() throws SQLException {
        List<UsageEvent> batch = Stream.of("u1", "u2", "u3").map(this::request).toList();

        List<IngestedEvent> first = ingestion.ingest(tenant.clientId(), batch);
        List<IngestedEvent> resent = ingestion.ingest(tenant.clientId(), batch);
        List<IngestedEvent> next = ingestion.ingest(tenant.clientId(), List.of(request("u3"), request("u4")));

        assertThat(first).extracting(IngestedEvent::id, IngestedEvent::duplicate)
                .containsExactly(tuple("usage-u1", false), tuple("usage-u2", false), tuple("usage-u3", false));
        assertThat(resent).extracting(IngestedEvent::duplicate).containsExactly(true, true, true);
        assertThat(next).extracting(IngestedEvent::id, IngestedEvent::duplicate)
                .containsExactly(tuple("usage-u3", true), tuple("usage-u4", false));
        assertThat(rows.costTotal(tenant.clientId())).isEqualTo("0.014");
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.0168");
    }

    @Test
    void refusesABatchOfMoreThanAThousandEventsOrOfAnotherClientsUsage() {
        List<UsageEvent> tooMany = IntStream.range(0, 1_001).mapToObj(i -> request("r" + i)).toList();
        UsageEvent foreign = UsageEvents.event(UUID.randomUUID(), "gpt-4o", TokenCounts.of(1, 1), MAY);

        assertThatThrownBy(() -> ingestion.ingest(tenant.clientId(), tooMany))
                .isInstanceOf(IngestionException.class).hasMessage("a batch holds 1 to 1000 events, not 1001");
        assertThatThrownBy(() -> ingestion.ingest(tenant.clientId(), List.of(request("ok"), foreign)))
                .isInstanceOf(IngestionException.class).hasMessageContaining("is not usage of the calling client");
    }

    @Test
    void ratesLiteLlmCallbackPayloadsFromTheirTokensAndAcknowledgesARepeatedCallback() throws Exception {
        byte[] body = LiteLlmPayloadsTest.bytes("litellm/litellm_generic_api_post_body_json_array.json");
        // The SDK payload is from January 2025: PLAN-T's gpt-4o costs and the markup, from then on.
        Instant early = Instant.parse("2025-01-01T00:00:00Z");
        Change change = new Change(PlanT.OPERATOR_ADMIN, early, false);
        costs.add(tenant.operatorId(), List.of(
                NewPrice.flat("gpt-4o", UsageUnit.INPUT, new BigDecimal("2.50"), early),
                NewPrice.flat("gpt-4o", UsageUnit.OUTPUT, new BigDecimal("10.00"), early)), CostPrices.MANUAL, change);
        pricing.setMarkup(tenant.clientId(), new BigDecimal("20"), early, change);

        List<IngestedEvent> first = ingestion.ingestLiteLlm(tenant.clientId(), body);
        List<IngestedEvent> again = ingestion.ingestLiteLlm(tenant.clientId(), body);

        // gpt-4o 10 in, 20 out: 0.000225 cost; claude-3-7-sonnet is not in the operator's catalogue.
        assertThat(first).extracting(IngestedEvent::outcome).containsExactly(Kind.RATED, Kind.UNPRICED);
        assertThat(again).extracting(IngestedEvent::duplicate).containsExactly(true, true);
        assertThat(rows.costTotal(tenant.clientId())).isEqualTo("0.000225");
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.00027");
    }

    /** A gateway request of 1,000 input and 100 output tokens on gpt-4o: 0.0035 cost, 0.0042 charged. */
    private UsageEvent request(String requestId) {
        return UsageEvents.withRequestId(requestId, tenant.clientId(), "gpt-4o", TokenCounts.of(1_000, 100), MAY,
                UsageData.Status.OK);
    }
}

package io.tollbooth.metering.pricebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.LedgerRows;
import io.tollbooth.metering.PlanT;
import io.tollbooth.metering.UsageEvents;
import io.tollbooth.metering.ledger.ReceivedEvent;
import io.tollbooth.metering.ledger.UsageLedger;
import io.tollbooth.metering.ledger.UsageTotals;
import io.tollbooth.metering.ledger.UsageTotals.ModelMargin;
import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A self-hosted model's cost derived from its node's cost per hour and measured throughput, applied to usage,
 * and the client's margin over it. PLAN-T, 20 % markup.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class SelfHostedCostTest {

    private static final Instant JUNE = Instant.parse("2026-06-01T00:00:00Z");

    @Inject
    DataSource dataSource;

    @Inject
    UsageLedger ledger;

    @Inject
    UsageTotals totals;

    @Inject
    CostPrices costs;

    @Inject
    ClientPricing pricing;

    @Test
    void derivesTheCostPerMillionTokensFromTheNodesHourAndThroughputRoundedOnce() {
        SelfHostedCost basis = new SelfHostedCost("local-llama", "l4-24gb", new BigDecimal("2.00"),
                new BigDecimal("2000"), new BigDecimal("50"), JUNE);

        assertThat(basis.inputPerMillion()).isEqualTo(new BigDecimal("0.2777777778"));
        assertThat(basis.outputPerMillion()).isEqualTo(new BigDecimal("11.1111111111"));
    }

    @Test
    void ratesSelfHostedUsageAtTheDerivedCostAndShowsTheClientsMarginOnIt() throws SQLException {
        PlanT tenant = PlanT.create(dataSource, costs, pricing);
        // $1.80 an hour; 5,000 prompt tokens and 250 generated tokens a second: 0.10 and 2.00 per 1M.
        List<StoredPrice> derived = costs.addSelfHosted(tenant.operatorId(), new SelfHostedCost("local-llama",
                "l4-24gb", new BigDecimal("1.80"), new BigDecimal("5000"), new BigDecimal("250"), JUNE),
                new Change(PlanT.OPERATOR_ADMIN, JUNE, false));

        record(UsageEvents.event(tenant.clientId(), "local-llama", TokenCounts.of(26, 282), JUNE.plusSeconds(60)));

        assertThat(derived).extracting(row -> row.price().unit().code(),
                        row -> row.price().unitPrice().stripTrailingZeros().toPlainString(), StoredPrice::source)
                .containsExactly(tuple("input", "0.1", "self_hosted"), tuple("output", "2", "self_hosted"));
        LedgerRows rows = new LedgerRows(dataSource);
        assertThat(rows.costTotal(tenant.clientId())).isEqualTo("0.0005666");
        assertThat(rows.total(tenant.clientId())).isEqualTo("0.00067992");
        assertThat(totals.margins(tenant.clientId(), LocalDate.parse("2026-06-01"), LocalDate.parse("2026-07-01")))
                .extracting(ModelMargin::model, margin -> plain(margin.margin()))
                .containsExactly(tuple("local-llama", "0.00011332"));
    }

    private void record(UsageEvent event) throws SQLException {
        ledger.record(List.of(new ReceivedEvent(event, UsageEventCodec.toJson(event))));
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}

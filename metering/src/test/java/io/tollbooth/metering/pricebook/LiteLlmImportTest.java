package io.tollbooth.metering.pricebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.PlanT;
import io.tollbooth.metering.rating.UsageUnit;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cost prices imported from LiteLLM's model price table, read from the shared fixture
 * {@code litellm/litellm_model_prices_excerpt.json} beside the checkout; skipped when the fixtures are absent.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class LiteLlmImportTest {

    private static final Instant JUNE = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant JULY = Instant.parse("2026-07-01T00:00:00Z");
    private static final Path TABLE = Path.of(System.getProperty("tollbooth.root", "."), "..", "shared", "fixtures",
            "litellm", "litellm_model_prices_excerpt.json");

    @Inject
    DataSource dataSource;

    @Inject
    CostPrices costs;

    @Inject
    ClientPricing pricing;

    @Inject
    PlanPrices plans;

    private PlanT tenant;

    @BeforeEach
    void setUp() throws SQLException {
        assumeTrue(Files.isRegularFile(TABLE), "LiteLLM price table fixture not found at " + TABLE);
        tenant = PlanT.create(dataSource, costs, pricing);
        tenant.addModel(dataSource, "claude-sonnet-4");
    }

    @Test
    void importsPerTokenListPricesAsExactPricesPerMillionWithTheirLongContextTiers() throws Exception {
        costs.importLiteLlm(tenant.operatorId(), table(), Map.of("gpt-4o", "gpt-4o",
                "claude-sonnet-4", "claude-4-sonnet-20250514"), JUNE, change());

        assertThat(costs.list(tenant.operatorId()))
                .filteredOn(row -> row.price().effectiveFrom().equals(JUNE))
                .extracting(StoredPrice::model, row -> row.price().unit().code(), row -> row.price().longContextOver(),
                        row -> row.price().unitPrice().stripTrailingZeros().toPlainString(), StoredPrice::source)
                .containsExactly(
                        tuple("claude-sonnet-4", "cache_write", 0L, "3.75", "litellm"),
                        tuple("claude-sonnet-4", "cache_write", 200_000L, "7.5", "litellm"),
                        tuple("claude-sonnet-4", "cached_input", 0L, "0.3", "litellm"),
                        tuple("claude-sonnet-4", "cached_input", 200_000L, "0.6", "litellm"),
                        tuple("claude-sonnet-4", "input", 0L, "3", "litellm"),
                        tuple("claude-sonnet-4", "input", 200_000L, "6", "litellm"),
                        tuple("claude-sonnet-4", "output", 0L, "15", "litellm"),
                        tuple("claude-sonnet-4", "output", 200_000L, "22.5", "litellm"),
                        tuple("gpt-4o", "cached_input", 0L, "1.25", "litellm"),
                        tuple("gpt-4o", "input", 0L, "2.5", "litellm"),
                        tuple("gpt-4o", "output", 0L, "10", "litellm"));
    }

    @Test
    void refusesAnImportNamingAnEntryTheTableLacksAndWritesNothing() throws Exception {
        LiteLlmPriceTable table = table();

        assertThatThrownBy(() -> costs.importLiteLlm(tenant.operatorId(), table, Map.of("gpt-4o", "gpt-4o",
                "claude-sonnet-4", "claude-9"), JUNE, change()))
                .isInstanceOfSatisfying(PriceBookException.class, e -> assertThat(e.error())
                        .isEqualTo(PriceBookError.MODEL_NOT_FOUND))
                .hasMessage("the LiteLLM table has no entry 'claude-9' for claude-sonnet-4");
        assertThat(costs.list(tenant.operatorId())).hasSize(16);
    }

    @Test
    void readsOneListPriceWithoutRoundingIt() throws Exception {
        List<NewPrice> prices = table().prices("gpt-4o-mini", "gpt-4o-mini", JUNE).orElseThrow();

        // 1.5e-07, 7.5e-08 and 6e-07 per token.
        assertThat(prices).extracting(price -> price.unit().code(), price -> price.unitPrice().toPlainString())
                .containsExactlyInAnyOrder(tuple("input", "0.15"), tuple("cached_input", "0.075"),
                        tuple("output", "0.6"));
    }

    @Test
    void refusesAClientPriceTypedPerTokenAgainstTheImportedListPriceUnlessConfirmed() throws Exception {
        costs.importLiteLlm(tenant.operatorId(), table(), Map.of("claude-sonnet-4", "claude-4-sonnet-20250514"),
                JUNE, change());
        // 1.5e-05 per token is 15 per 1M: typed as it stands into a per-1M field, it is a millionth of the price.
        List<NewPrice> typo = List.of(NewPrice.flat("claude-sonnet-4", UsageUnit.OUTPUT, new BigDecimal("0.000015"),
                JULY));

        assertThatThrownBy(() -> pricing.addPrices(tenant.clientId(), typo, change()))
                .isInstanceOfSatisfying(PriceBookException.class, e -> {
                    assertThat(e.error()).isEqualTo(PriceBookError.UNCONFIRMED_PRICE_CHANGE);
                    assertThat(e.getMessage()).isEqualTo("claude-sonnet-4 output from 2026-07-01T00:00:00Z:"
                            + " 0.000015 is 1/1000000 of LiteLLM's list price 15 (imported, in force from"
                            + " 2026-06-01T00:00:00Z). Nothing was saved; send \"confirm\": true to save these"
                            + " prices as they are.");
                    assertThat(e.outOfLine()).extracting(OutOfLinePrice::basis,
                            line -> line.previous().stripTrailingZeros().toPlainString())
                            .containsExactly(tuple(OutOfLinePrice.LITELLM, "15"));
                });
        assertThat(pricing.prices(tenant.clientId())).isEmpty();

        pricing.addPrices(tenant.clientId(), typo, new Change(PlanT.OPERATOR_ADMIN, JULY, true));

        assertThat(pricing.prices(tenant.clientId())).hasSize(1);
    }

    @Test
    void acceptsAPlanPriceInLineWithTheListPriceAndRefusesOneAHundredTimesIt() throws Exception {
        costs.importLiteLlm(tenant.operatorId(), table(), Map.of("claude-sonnet-4", "claude-4-sonnet-20250514"),
                JUNE, change());

        plans.add(tenant.planId(), List.of(NewPrice.flat("claude-sonnet-4", UsageUnit.INPUT, new BigDecimal("3.60"),
                JULY)), change());

        assertThatThrownBy(() -> plans.add(tenant.planId(), List.of(NewPrice.flat("claude-sonnet-4",
                UsageUnit.OUTPUT, new BigDecimal("1500"), JULY)), change()))
                .hasMessageStartingWith("claude-sonnet-4 output from 2026-07-01T00:00:00Z: 1500 is 100 times"
                        + " LiteLLM's list price 15; was a per-token price typed into a per-1M field? (imported,"
                        + " in force from 2026-06-01T00:00:00Z).");
    }

    @Test
    void refusesATypedInCostOnceWhenTheListPriceIsAlsoThePreviousCost() throws Exception {
        costs.importLiteLlm(tenant.operatorId(), table(), Map.of("claude-sonnet-4", "claude-4-sonnet-20250514"),
                JUNE, change());

        assertThatThrownBy(() -> costs.add(tenant.operatorId(), List.of(NewPrice.flat("claude-sonnet-4",
                UsageUnit.INPUT, new BigDecimal("3000000"), JULY)), CostPrices.MANUAL, change()))
                .isInstanceOfSatisfying(PriceBookException.class, e -> assertThat(e.outOfLine())
                        .extracting(OutOfLinePrice::basis).containsExactly(OutOfLinePrice.PREVIOUS));
    }

    private static LiteLlmPriceTable table() throws IOException {
        try (InputStream json = Files.newInputStream(TABLE)) {
            return LiteLlmPriceTable.read(json);
        }
    }

    private static Change change() {
        return new Change(PlanT.OPERATOR_ADMIN, Instant.parse("2026-05-25T09:00:00Z"), false);
    }
}

package io.tollbooth.metering.pricebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.deploy.kafka.LocalKafkaResource;
import io.tollbooth.metering.PlanT;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
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
    private static final Path TABLE = Path.of(System.getProperty("tollbooth.root", "."), "..", "shared", "fixtures",
            "litellm", "litellm_model_prices_excerpt.json");

    @Inject
    DataSource dataSource;

    @Inject
    CostPrices costs;

    @Inject
    ClientPricing pricing;

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

    private static LiteLlmPriceTable table() throws IOException {
        try (InputStream json = Files.newInputStream(TABLE)) {
            return LiteLlmPriceTable.read(json);
        }
    }

    private static Change change() {
        return new Change(PlanT.OPERATOR_ADMIN, Instant.parse("2026-05-25T09:00:00Z"), false);
    }
}

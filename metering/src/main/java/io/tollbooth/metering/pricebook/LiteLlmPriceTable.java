package io.tollbooth.metering.pricebook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollbooth.metering.rating.TierMode;
import io.tollbooth.metering.rating.UsageUnit;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cloud list prices in the format of LiteLLM's model price table ({@code model_prices_and_context_window.json}):
 * an object of model entries whose costs are in USD per single token (or per second of audio). Only the standard
 * tier is read; batch, priority, flex and regional variants are not what a proxied request costs.
 *
 * <p>Numbers are read as exact decimals, so {@code 2.5e-06} per token becomes exactly 2.5 per 1M tokens.
 */
public final class LiteLlmPriceTable {

    /** The currency LiteLLM's table is in. */
    public static final String CURRENCY = "USD";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** {@code <field>} for the base price, {@code <field>_above_<N>k_tokens} for a long-context tier. */
    private static final Pattern TIER = Pattern.compile("_above_(\\d+)k_tokens$");

    private static final Map<String, UsageUnit> PER_TOKEN = Map.of(
            "input_cost_per_token", UsageUnit.INPUT,
            "cache_read_input_token_cost", UsageUnit.CACHED_INPUT,
            "cache_creation_input_token_cost", UsageUnit.CACHE_WRITE,
            "output_cost_per_token", UsageUnit.OUTPUT);

    private static final String PER_AUDIO_SECOND = "input_cost_per_second";

    private final JsonNode table;

    private LiteLlmPriceTable(JsonNode table) {
        this.table = table;
    }

    /**
     * Reads a table.
     *
     * @throws PriceBookException {@link PriceBookError#INVALID} when the input is not a JSON object
     */
    public static LiteLlmPriceTable read(InputStream json) throws IOException {
        JsonNode table = JSON.readTree(json);
        if (table == null || !table.isObject()) {
            throw new PriceBookException(PriceBookError.INVALID, "a LiteLLM price table is one JSON object of models");
        }
        return new LiteLlmPriceTable(table);
    }

    /**
     * The cost prices of one entry as prices of our model {@code model}, from {@code effectiveFrom}: per 1M tokens
     * for the token kinds (with any long-context tiers), per second for audio. Empty when the table has no such
     * entry; an entry without any cost this reads gives an empty list.
     */
    public Optional<List<NewPrice>> prices(String entry, String model, Instant effectiveFrom) {
        JsonNode costs = table.get(entry);
        if (costs == null || !costs.isObject()) {
            return Optional.empty();
        }
        List<NewPrice> prices = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = costs.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNumber()) {
                price(field.getKey(), field.getValue().decimalValue(), model, effectiveFrom).ifPresent(prices::add);
            }
        }
        return Optional.of(prices);
    }

    private static Optional<NewPrice> price(String field, BigDecimal value, String model, Instant effectiveFrom) {
        long longContextOver = 0;
        String base = field;
        Matcher tier = TIER.matcher(field);
        if (tier.find()) {
            longContextOver = Long.parseLong(tier.group(1)) * 1_000;
            base = field.substring(0, tier.start());
        }
        if (base.equals(PER_AUDIO_SECOND) && longContextOver == 0) {
            return Optional.of(new NewPrice(model, UsageUnit.AUDIO_SECOND, value, effectiveFrom, 0, 0,
                    TierMode.GRADUATED));
        }
        UsageUnit unit = PER_TOKEN.get(base);
        if (unit == null) {
            return Optional.empty();
        }
        return Optional.of(new NewPrice(model, unit, value.movePointRight(6), effectiveFrom, longContextOver, 0,
                TierMode.GRADUATED));
    }
}

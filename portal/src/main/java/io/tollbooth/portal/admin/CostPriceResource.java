package io.tollbooth.portal.admin;

import io.tollbooth.metering.pricebook.NewPrice;
import io.tollbooth.metering.pricebook.StoredPrice;
import io.tollbooth.metering.rating.Price;
import io.tollbooth.metering.rating.UsageUnit;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.pricing.PriceBookDesk;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for an operator's cost prices: what each model costs the operator, in its currency, with the span each
 * price is in force. Prices are never edited: a price from a later instant takes over, one for the same instant
 * corrects the earlier row. A price far out of line with the one before it or with LiteLLM's list price is refused
 * with an {@code unconfirmed-price-change} problem until it is sent again with {@code "confirm": true}.
 */
@Path(AdminApi.V1 + "/operators/{operatorId}/cost-prices")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class CostPriceResource {

    @Inject
    PriceBookDesk desk;

    @Inject
    Caller caller;

    /** Every cost price of the operator, current, past, scheduled and corrected, by model, unit and time. */
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    public List<CostPriceView> list(@RestPath UUID operatorId) throws SQLException {
        return desk.costPrices(operatorId).stream().map(CostPriceView::of).toList();
    }

    /** Adds cost prices typed in by the caller; 201 with the rows written, each with its span. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<List<CostPriceView>> add(@RestPath UUID operatorId, @NotNull @Valid NewCostPrices request)
            throws SQLException {
        List<NewPrice> prices = request.prices().stream().map(CostPriceInput::toNewPrice).toList();
        List<StoredPrice> written = desk.addCostPrices(operatorId, prices, request.confirmed(), caller.name());
        return AdminApi.created("/operators/" + operatorId + "/cost-prices", written(operatorId, written));
    }

    /**
     * Imports LiteLLM's list prices (USD) from the body, which is LiteLLM's model price table as it is
     * ({@code model_prices_and_context_window.json} or any part of it).
     *
     * @param effectiveFrom when the imported prices apply from; the import's instant if absent
     * @param model {@code our-model=litellm-entry}, once per model to import; absent, every model of the catalogue
     *     whose name is an entry of the table is imported
     * @param confirm save prices far out of line with the previous ones as they are
     */
    @POST
    @Path("litellm")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, MediaType.TEXT_PLAIN})
    public LiteLlmImportView importLiteLlm(@RestPath UUID operatorId, @RestQuery String effectiveFrom,
            @RestQuery List<String> model, @RestQuery boolean confirm, InputStream table) throws SQLException {
        Instant from = effectiveFrom == null || effectiveFrom.isBlank() ? null : instant(effectiveFrom);
        List<PriceBookDesk.ImportedPrice> imported = desk.importLiteLlm(operatorId, table, entries(model),
                from, confirm, caller.name());
        return LiteLlmImportView.of(imported);
    }

    private List<CostPriceView> written(UUID operatorId, List<StoredPrice> written) throws SQLException {
        Set<UUID> ids = written.stream().map(p -> p.price().id()).collect(Collectors.toSet());
        return desk.costPrices(operatorId).stream().filter(row -> ids.contains(row.stored().price().id()))
                .map(CostPriceView::of).toList();
    }

    /** Reads {@code ours=entry} pairs, refusing anything else. */
    public static Map<String, String> entries(List<String> pairs) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String pair : pairs == null ? List.<String>of() : pairs) {
            int equals = pair.indexOf('=');
            if (equals <= 0 || equals == pair.length() - 1) {
                throw AdminException.invalid("model: write each as our-model=litellm-entry, not '" + pair + "'");
            }
            entries.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
        }
        return entries;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw AdminException.invalid("effectiveFrom: must be an instant such as 2026-01-01T00:00:00Z");
        }
    }

    /** Body of {@code POST …/cost-prices}: the prices, and whether prices far out of line are meant. */
    public record NewCostPrices(Boolean confirm, @NotEmpty List<@NotNull @Valid CostPriceInput> prices) {

        boolean confirmed() {
            return Boolean.TRUE.equals(confirm);
        }
    }

    /**
     * One cost price in a request.
     *
     * @param model name of a model of the operator
     * @param unit {@code input}, {@code cached_input}, {@code cache_write}, {@code output} (per 1M tokens),
     *     {@code request} (per request) or {@code audio_second} (per second)
     * @param unitPrice in the operator's currency, as a decimal string such as {@code "2.50"}
     * @param effectiveFrom the instant it applies from
     * @param longContextOver absent or 0 for the base price; N prices whole requests whose prompt is above N tokens
     */
    public record CostPriceInput(
            @NotBlank String model,
            @NotNull @Pattern(regexp = UsageUnit.PATTERN, message = "must be one of " + UsageUnit.PATTERN)
            String unit,
            @NotNull @Pattern(regexp = AdminApi.DECIMAL, message = AdminApi.DECIMAL_MESSAGE) String unitPrice,
            @NotNull Instant effectiveFrom,
            @PositiveOrZero Long longContextOver) {

        NewPrice toNewPrice() {
            return new NewPrice(model, UsageUnit.ofCode(unit), new BigDecimal(unitPrice),
                    AdminApi.stored(effectiveFrom), longContextOver == null ? 0 : longContextOver, 0,
                    io.tollbooth.metering.rating.TierMode.GRADUATED);
        }
    }

    /**
     * A cost price as the book keeps it.
     *
     * @param unitPrice per 1M tokens, per request or per second, exactly as entered
     * @param until when the next price of the same model, unit and tier takes over; null while none is entered
     * @param state {@code scheduled}, {@code in force}, {@code past} or {@code corrected}
     * @param source {@code manual}, {@code litellm} or {@code self_hosted}
     * @param correctedBy the row that corrects this one; null if none
     */
    public record CostPriceView(UUID id, String model, String unit, long longContextOver, String unitPrice,
            String currency, Instant effectiveFrom, Instant until, String state, String source, String createdBy,
            Instant createdAt, UUID correctedBy) {

        static CostPriceView of(PriceBookDesk.CostRow row) {
            Price p = row.stored().price();
            return new CostPriceView(p.id(), row.stored().model(), p.unit().code(), p.longContextOver(),
                    AdminApi.decimal(p.unitPrice()), p.currency(), p.effectiveFrom(), row.until(), row.state(),
                    row.stored().source(), row.stored().createdBy(), row.stored().createdAt(),
                    row.stored().correctedBy());
        }
    }

    /**
     * What an import did: each price written, with the cost in force before it at the same instant.
     *
     * @param created prices of a model, unit and tier that had no cost before
     * @param changed prices that differ from the cost in force before
     * @param unchanged prices equal to it (written again, so the import is on record)
     */
    public record LiteLlmImportView(int created, int changed, int unchanged, List<ImportedPriceView> prices) {

        static LiteLlmImportView of(List<PriceBookDesk.ImportedPrice> imported) {
            List<ImportedPriceView> prices = imported.stream().map(ImportedPriceView::of).toList();
            return new LiteLlmImportView(count(imported, "new"), count(imported, "changed"),
                    count(imported, "unchanged"), prices);
        }

        private static int count(List<PriceBookDesk.ImportedPrice> imported, String outcome) {
            return (int) imported.stream().filter(p -> p.outcome().equals(outcome)).count();
        }
    }

    /**
     * One imported price.
     *
     * @param entry the table's entry it came from
     * @param previous the cost in force at {@code effectiveFrom} before the import; null if none
     * @param outcome {@code new}, {@code changed} or {@code unchanged}
     */
    public record ImportedPriceView(UUID id, String model, String entry, String unit, long longContextOver,
            String unitPrice, String previous, String currency, Instant effectiveFrom, String outcome) {

        static ImportedPriceView of(PriceBookDesk.ImportedPrice imported) {
            Price p = imported.stored().price();
            return new ImportedPriceView(p.id(), imported.stored().model(), imported.entry(), p.unit().code(),
                    p.longContextOver(), AdminApi.decimal(p.unitPrice()), AdminApi.decimal(imported.previous()),
                    p.currency(), p.effectiveFrom(), imported.outcome());
        }
    }
}

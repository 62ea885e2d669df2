package io.tollbooth.portal.admin;

import io.tollbooth.metering.pricebook.NewPrice;
import io.tollbooth.metering.pricebook.StoredMarkup;
import io.tollbooth.metering.pricebook.StoredPrice;
import io.tollbooth.metering.rating.Price;
import io.tollbooth.metering.rating.TierMode;
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
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for how one client is charged: its named plan, prices of its own for some models (in its currency,
 * first in line) and its markup over the operator's cost (for models neither prices). Changes are checked by
 * metering's price check like every price and rate the client's usage that waited for a price.
 */
@Path(AdminApi.V1 + "/clients/{clientId}/pricing")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class ClientPricingResource {

    /** A markup in percent, possibly negative (a discount on cost), for example {@code "20"} or {@code "-12.5"}. */
    static final String PERCENT = "-?\\d{1,6}(\\.\\d{1,6})?";

    @Inject
    PriceBookDesk desk;

    @Inject
    Caller caller;

    /** The client's plan, own prices and markups. */
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    public ClientPricingView get(@RestPath UUID clientId) throws SQLException {
        return ClientPricingView.of(desk.clientBook(clientId));
    }

    /** Sets the client's markup over cost from {@code effectiveFrom}; one for the same instant corrects it. */
    @POST
    @Path("markups")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<MarkupView> setMarkup(@RestPath UUID clientId, @NotNull @Valid NewMarkup request)
            throws SQLException {
        StoredMarkup markup = desk.setMarkup(clientId, new BigDecimal(request.percent()),
                AdminApi.stored(request.effectiveFrom()), caller.name());
        return AdminApi.created("/clients/" + clientId + "/pricing", MarkupView.of(markup));
    }

    /** Adds prices of the client's own, in its currency; 201 with the rows written. */
    @POST
    @Path("prices")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<List<ClientPriceView>> addPrices(@RestPath UUID clientId,
            @NotNull @Valid NewClientPrices request) throws SQLException {
        List<NewPrice> prices = request.prices().stream().map(ClientPriceInput::toNewPrice).toList();
        List<StoredPrice> written = desk.addClientPrices(clientId, prices, Boolean.TRUE.equals(request.confirm()),
                caller.name());
        return AdminApi.created("/clients/" + clientId + "/pricing", written.stream().map(ClientPriceView::of)
                .toList());
    }

    /** Body of {@code POST …/pricing/markups}: 20 charges cost × 1.20; at least -100. */
    public record NewMarkup(
            @NotNull @Pattern(regexp = PERCENT, message = "must be a percentage such as \"20\" or \"-12.5\"")
            String percent,
            @NotNull Instant effectiveFrom) {
    }

    /** Body of {@code POST …/pricing/prices}. */
    public record NewClientPrices(Boolean confirm, @NotEmpty List<@NotNull @Valid ClientPriceInput> prices) {
    }

    /**
     * One price of the client's own, in the client's currency.
     *
     * @param unit as for cost prices
     * @param longContextOver absent or 0 for the base price
     * @param monthlyFrom absent or 0, or where a monthly band starts (units of the month before it)
     * @param tierMode {@code graduated} (default) or {@code volume}, for monthly bands
     */
    public record ClientPriceInput(
            @NotBlank String model,
            @NotNull @Pattern(regexp = UsageUnit.PATTERN, message = "must be one of " + UsageUnit.PATTERN)
            String unit,
            @NotNull @Pattern(regexp = AdminApi.DECIMAL, message = AdminApi.DECIMAL_MESSAGE) String unitPrice,
            @NotNull Instant effectiveFrom,
            @PositiveOrZero Long longContextOver,
            @PositiveOrZero Long monthlyFrom,
            @Pattern(regexp = "graduated|volume", message = "must be graduated or volume") String tierMode) {

        NewPrice toNewPrice() {
            return new NewPrice(model, UsageUnit.ofCode(unit), new BigDecimal(unitPrice),
                    AdminApi.stored(effectiveFrom), longContextOver == null ? 0 : longContextOver,
                    monthlyFrom == null ? 0 : monthlyFrom, tierMode == null ? TierMode.GRADUATED
                    : TierMode.ofCode(tierMode));
        }
    }

    /** How the client is charged; amounts are decimal strings exactly as entered. */
    public record ClientPricingView(UUID clientId, String currency, PlanView plan, List<ClientPriceView> prices,
            List<MarkupView> markups) {

        static ClientPricingView of(PriceBookDesk.ClientBook book) {
            PlanView plan = new PlanView(book.plan().id, book.plan().name, book.plan().currency,
                    book.planPrices().stream().map(p -> new PlanPriceView(p.model(), p.unit(),
                            AdminApi.decimal(p.unitPrice()), p.currency(), p.effectiveFrom())).toList());
            return new ClientPricingView(book.client().id, book.client().currency, plan,
                    book.prices().stream().map(ClientPriceView::of).toList(),
                    book.markups().stream().map(MarkupView::of).toList());
        }
    }

    /** The client's named plan, shared with other clients, and its prices. */
    public record PlanView(UUID id, String name, String currency, List<PlanPriceView> prices) {
    }

    public record PlanPriceView(String model, String unit, String unitPrice, String currency,
            Instant effectiveFrom) {
    }

    /** A price of the client's own; {@code correctedBy} names the row that replaced it, if any. */
    public record ClientPriceView(UUID id, String model, String unit, long longContextOver, long monthlyFrom,
            String tierMode, String unitPrice, String currency, Instant effectiveFrom, String createdBy,
            Instant createdAt, UUID correctedBy) {

        static ClientPriceView of(StoredPrice stored) {
            Price p = stored.price();
            return new ClientPriceView(p.id(), stored.model(), p.unit().code(), p.longContextOver(), p.monthlyFrom(),
                    p.tierMode().code(), AdminApi.decimal(p.unitPrice()), p.currency(), p.effectiveFrom(),
                    stored.createdBy(), stored.createdAt(), stored.correctedBy());
        }
    }

    /** A markup over cost in percent. */
    public record MarkupView(UUID id, String percent, Instant effectiveFrom, String createdBy, Instant createdAt,
            UUID correctedBy) {

        static MarkupView of(StoredMarkup stored) {
            return new MarkupView(stored.markup().id(), AdminApi.decimal(stored.markup().percent()),
                    stored.markup().effectiveFrom(), stored.createdBy(), stored.createdAt(), stored.correctedBy());
        }
    }
}

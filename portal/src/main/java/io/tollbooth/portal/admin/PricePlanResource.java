package io.tollbooth.portal.admin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tollbooth.metering.pricebook.Change;
import io.tollbooth.metering.pricebook.NewPrice;
import io.tollbooth.metering.pricebook.PlanPrices;
import io.tollbooth.metering.pricebook.PriceBookException;
import io.tollbooth.metering.rating.UsageUnit;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.pricing.Model;
import io.tollbooth.portal.pricing.Price;
import io.tollbooth.portal.pricing.PricePlan;
import io.tollbooth.portal.tenant.Operator;
import io.tollbooth.usage.event.TokenKind;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for price plans and their prices. Prices are never changed in place: a new price for the same model
 * and token kind with a later {@code effectiveFrom} takes over from that instant. Prices are written by metering's
 * {@link PlanPrices}, which checks them like every price book (an {@code unconfirmed-price-change} problem until
 * {@code "confirm": true}) and rates the plan's clients' usage that waited for a price.
 */
@Path(AdminApi.V1 + "/price-plans")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PricePlanResource {

    private static final Logger LOG = Logger.getLogger(PricePlanResource.class);

    @Inject
    Clock clock;

    @Inject
    PlanPrices planPrices;

    @Inject
    Caller caller;

    /**
     * Creates a plan with its first prices; 404 for an unknown operator or model, 409 for a taken name. The prices
     * go through metering's plan book and its price check; if they are refused, so is the plan.
     */
    @POST
    public RestResponse<PricePlanView> create(@NotNull @Valid CreatePricePlan request) throws SQLException {
        PricePlan plan = QuarkusTransaction.requiringNew().call(() -> persist(request));
        try {
            planPrices.add(plan.id, newPrices(request.prices()), change(request.confirm()));
        } catch (PriceBookException | SQLException e) {
            // The plan has no prices and no clients yet: nothing refers to it, so it goes with its prices.
            QuarkusTransaction.requiringNew().run(() -> PricePlan.deleteById(plan.id));
            throw e;
        }
        LOG.infof("price_plan_created operator=%s plan=%s prices=%d", plan.operatorId, plan.id,
                request.prices().size());
        return AdminApi.created("/price-plans/" + plan.id, QuarkusTransaction.requiringNew().call(() -> view(plan)));
    }

    /**
     * Adds prices to a plan, for example a price change from a future instant, through metering's plan book: a
     * price far out of line with the plan's previous one or LiteLLM's list price is refused until confirmed.
     */
    @POST
    @Path("{id}/prices")
    public PricePlanView addPrices(@RestPath UUID id, @NotNull @Valid NewPrices request) throws SQLException {
        QuarkusTransaction.requiringNew().run(() -> find(id));
        planPrices.add(id, newPrices(request.prices()), change(request.confirm()));
        LOG.infof("prices_added plan=%s prices=%d", id, request.prices().size());
        return QuarkusTransaction.requiringNew().call(() -> view(find(id)));
    }

    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    @GET
    @Path("{id}")
    @Transactional
    public PricePlanView get(@RestPath UUID id) {
        return view(find(id));
    }

    private PricePlan persist(CreatePricePlan request) {
        if (Operator.findByIdOptional(request.operatorId()).isEmpty()) {
            throw AdminException.notFound("operator", request.operatorId());
        }
        if (PricePlan.findByName(request.operatorId(), request.name()).isPresent()) {
            throw AdminException.conflict("the operator already has a price plan named '" + request.name() + "'");
        }
        PricePlan plan = new PricePlan();
        plan.id = UUID.randomUUID();
        plan.operatorId = request.operatorId();
        plan.name = request.name();
        plan.currency = request.currency();
        plan.createdAt = AdminApi.now(clock);
        plan.persist();
        return plan;
    }

    private Change change(Boolean confirm) {
        return new Change(caller.name(), AdminApi.now(clock), Boolean.TRUE.equals(confirm));
    }

    private static List<NewPrice> newPrices(List<PriceInput> inputs) {
        return inputs.stream().map(input -> NewPrice.flat(input.model(), UsageUnit.ofCode(input.tokenKind()),
                new BigDecimal(input.pricePerMillion()), AdminApi.stored(input.effectiveFrom()))).toList();
    }

    private static PricePlan find(UUID id) {
        return PricePlan.<PricePlan>findByIdOptional(id).orElseThrow(() -> AdminException.notFound("price plan", id));
    }

    private static PricePlanView view(PricePlan plan) {
        Map<UUID, String> modelNames = Model.<Model>list("operatorId", plan.operatorId).stream()
                .collect(Collectors.toMap(m -> m.id, m -> m.name));
        List<PriceView> prices = Price.listByPlan(plan.id).stream()
                .sorted(Comparator.<Price, String>comparing(p -> modelNames.get(p.modelId))
                        .thenComparing(p -> p.tokenKind)
                        .thenComparing(p -> p.effectiveFrom))
                .map(p -> new PriceView(p.id, modelNames.get(p.modelId), p.tokenKind.code(),
                        AdminApi.decimal(p.pricePerMillion), p.currency, p.effectiveFrom))
                .toList();
        return new PricePlanView(plan.id, plan.operatorId, plan.name, plan.currency, plan.createdAt, prices);
    }

    /** Body of {@code POST /admin/v1/price-plans}. */
    public record CreatePricePlan(
            @NotNull UUID operatorId,
            @NotBlank @Size(max = 200) String name,
            @NotNull @CurrencyCode String currency,
            @NotEmpty List<@NotNull @Valid PriceInput> prices,
            Boolean confirm) {
    }

    /**
     * Body of {@code POST /admin/v1/price-plans/{id}/prices}; {@code confirm} saves prices far out of line with the
     * plan's previous ones as they are.
     */
    public record NewPrices(@NotEmpty List<@NotNull @Valid PriceInput> prices, Boolean confirm) {
    }

    /**
     * One price in a request.
     *
     * @param model name of a model of the plan's operator
     * @param tokenKind {@code input}, {@code cached_input}, {@code cache_write} or {@code output}
     * @param pricePerMillion price of 1,000,000 tokens in the plan's currency, as a decimal string
     * @param effectiveFrom the instant from which the price applies, for example {@code 2026-01-01T00:00:00Z}
     */
    public record PriceInput(
            @NotBlank String model,
            @NotNull @Pattern(regexp = TokenKind.PATTERN, message = "must be one of " + TokenKind.PATTERN)
            String tokenKind,
            @NotNull @Pattern(regexp = AdminApi.DECIMAL, message = AdminApi.DECIMAL_MESSAGE) String pricePerMillion,
            @NotNull Instant effectiveFrom) {
    }

    /** A price plan with all its prices, current and scheduled. */
    public record PricePlanView(
            UUID id, UUID operatorId, String name, String currency, Instant createdAt, List<PriceView> prices) {
    }

    /** One price; {@code pricePerMillion} is a decimal string at the precision it was entered. */
    public record PriceView(
            UUID id, String model, String tokenKind, String pricePerMillion, String currency, Instant effectiveFrom) {
    }
}

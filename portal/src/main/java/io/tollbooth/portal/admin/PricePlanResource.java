package io.tollbooth.portal.admin;

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
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for price plans and their prices. Prices are never changed in place: a new price for the same model
 * and token kind with a later {@code effectiveFrom} takes over from that instant.
 */
@Path(AdminApi.V1 + "/price-plans")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PricePlanResource {

    private static final Logger LOG = Logger.getLogger(PricePlanResource.class);

    @Inject
    Clock clock;

    /** Creates a plan with its first prices; 404 for an unknown operator or model, 409 for a taken name. */
    @POST
    @Transactional
    public RestResponse<PricePlanView> create(@NotNull @Valid CreatePricePlan request) {
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

        addPrices(plan, request.prices());
        LOG.infof("price_plan_created operator=%s plan=%s prices=%d", plan.operatorId, plan.id,
                request.prices().size());
        return AdminApi.created("/price-plans/" + plan.id, view(plan));
    }

    /** Adds prices to a plan, for example a price change from a future instant. */
    @POST
    @Path("{id}/prices")
    @Transactional
    public PricePlanView addPrices(@RestPath UUID id, @NotNull @Valid NewPrices request) {
        PricePlan plan = find(id);
        addPrices(plan, request.prices());
        LOG.infof("prices_added plan=%s prices=%d", plan.id, request.prices().size());
        return view(plan);
    }

    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    @GET
    @Path("{id}")
    public PricePlanView get(@RestPath UUID id) {
        return view(find(id));
    }

    private static PricePlan find(UUID id) {
        return PricePlan.<PricePlan>findByIdOptional(id).orElseThrow(() -> AdminException.notFound("price plan", id));
    }

    private void addPrices(PricePlan plan, List<PriceInput> inputs) {
        Set<String> seen = new HashSet<>();
        for (PriceInput input : inputs) {
            Instant from = AdminApi.stored(input.effectiveFrom());
            if (!seen.add(input.model() + " " + input.tokenKind() + " " + from)) {
                throw AdminException.invalid("prices: " + input.model() + " " + input.tokenKind() + " from " + from
                        + " is listed twice");
            }
            Model model = Model.findByName(plan.operatorId, input.model()).orElseThrow(() -> new AdminException(
                    AdminError.NOT_FOUND, "model '" + input.model() + "' does not exist for this operator"));
            TokenKind kind = TokenKind.ofCode(input.tokenKind());
            if (Price.count("pricePlanId = ?1 and modelId = ?2 and tokenKind = ?3 and effectiveFrom = ?4",
                    plan.id, model.id, kind, from) > 0) {
                throw AdminException.conflict("the plan already has a " + input.tokenKind() + " price for "
                        + input.model() + " from " + from);
            }
            newPrice(plan, model, kind, new BigDecimal(input.pricePerMillion()), from).persist();
        }
        Price.flush();
    }

    private Price newPrice(PricePlan plan, Model model, TokenKind kind, BigDecimal pricePerMillion, Instant from) {
        Price price = new Price();
        price.id = UUID.randomUUID();
        price.pricePlanId = plan.id;
        price.modelId = model.id;
        price.tokenKind = kind;
        price.pricePerMillion = pricePerMillion;
        // Prices take the plan's currency: a plan never mixes currencies, so neither can a client's invoice.
        price.currency = plan.currency;
        price.effectiveFrom = from;
        price.createdAt = AdminApi.now(clock);
        return price;
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
            @NotEmpty List<@NotNull @Valid PriceInput> prices) {
    }

    /** Body of {@code POST /admin/v1/price-plans/{id}/prices}. */
    public record NewPrices(@NotEmpty List<@NotNull @Valid PriceInput> prices) {
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

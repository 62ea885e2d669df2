package io.tollbooth.portal.admin;

import io.tollbooth.metering.pricebook.SelfHostedCost;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.pricing.PriceBookDesk;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for the self-hosted cost basis: a node's cost per hour and a model's measured throughput on it, from
 * which Tollbooth derives the model's input and output cost per 1M tokens ({@code cost per hour × 1,000,000 /
 * (tokens per second × 3,600)}, rounded once to 10 places) and adds them to the cost book as {@code self_hosted}
 * prices.
 */
@Path(AdminApi.V1 + "/operators/{operatorId}/self-hosted-costs")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class SelfHostedCostResource {

    @Inject
    PriceBookDesk desk;

    @Inject
    Caller caller;

    /** Every basis of the operator with the costs derived from it, by model and time. */
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    public List<BasisView> list(@RestPath UUID operatorId) {
        return desk.selfHostedCosts(operatorId).stream().map(BasisView::of).toList();
    }

    /**
     * Records a basis and adds the costs derived from it; 201 with both. A derived cost far out of line with the
     * model's previous cost is refused until confirmed.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<BasisView> add(@RestPath UUID operatorId, @NotNull @Valid NewBasis request)
            throws SQLException {
        SelfHostedCost basis = new SelfHostedCost(request.model(), request.node(),
                new BigDecimal(request.costPerHour()), positive("inputTokensPerSecond", request.inputTokensPerSecond()),
                positive("outputTokensPerSecond", request.outputTokensPerSecond()),
                AdminApi.stored(request.effectiveFrom()));
        PriceBookDesk.Basis stored = desk.addSelfHostedCost(operatorId, basis, Boolean.TRUE.equals(request.confirm()),
                caller.name());
        return AdminApi.created("/operators/" + operatorId + "/self-hosted-costs", BasisView.of(stored));
    }

    private static BigDecimal positive(String field, String value) {
        BigDecimal number = new BigDecimal(value);
        if (number.signum() <= 0) {
            throw AdminException.invalid(field + ": a measured throughput is above zero");
        }
        return number;
    }

    /**
     * Body of {@code POST …/self-hosted-costs}.
     *
     * @param node a name for the node or node type, for people
     * @param costPerHour what the node costs per hour in the operator's currency, such as {@code "3.60"}
     * @param inputTokensPerSecond measured prompt throughput of the model on the node
     * @param outputTokensPerSecond measured generation throughput
     * @param confirm save derived costs far out of line with the model's previous cost as they are
     */
    public record NewBasis(
            @NotBlank String model,
            @NotBlank @Size(max = 200) String node,
            @NotNull @Pattern(regexp = AdminApi.DECIMAL, message = AdminApi.DECIMAL_MESSAGE) String costPerHour,
            @NotNull @Pattern(regexp = AdminApi.DECIMAL, message = AdminApi.DECIMAL_MESSAGE)
            String inputTokensPerSecond,
            @NotNull @Pattern(regexp = AdminApi.DECIMAL, message = AdminApi.DECIMAL_MESSAGE)
            String outputTokensPerSecond,
            @NotNull Instant effectiveFrom,
            Boolean confirm) {
    }

    /**
     * A basis with its derived costs.
     *
     * @param inputPerMillion the derived input cost per 1M tokens, exactly as stored in the cost book
     * @param outputPerMillion the derived output cost per 1M tokens
     */
    public record BasisView(UUID id, String model, String node, String costPerHour, String currency,
            String inputTokensPerSecond, String outputTokensPerSecond, Instant effectiveFrom, String inputPerMillion,
            String outputPerMillion, String createdBy, Instant createdAt) {

        static BasisView of(PriceBookDesk.Basis b) {
            return new BasisView(b.id(), b.model(), b.node(), AdminApi.decimal(b.costPerHour()), b.currency(),
                    AdminApi.decimal(b.inputTokensPerSecond()), AdminApi.decimal(b.outputTokensPerSecond()),
                    b.effectiveFrom(), AdminApi.decimal(b.inputPerMillion()), AdminApi.decimal(b.outputPerMillion()),
                    b.createdBy(), b.createdAt());
        }
    }
}

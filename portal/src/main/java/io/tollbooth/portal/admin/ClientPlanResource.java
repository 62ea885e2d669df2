package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.pricing.PlanMoves;
import io.tollbooth.portal.pricing.PricePlan;
import io.tollbooth.portal.tenant.Client;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A client's moves to other price plans (see {@link PlanMoves}): operators move clients from an instant not yet
 * past; finance reads the history.
 */
@Path(AdminApi.V1 + "/clients/{clientId}/plan-changes")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class ClientPlanResource {

    @Inject
    ScopedRecords records;

    @Inject
    PlanMoves moves;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    /** The client's plan at creation and its moves since, oldest first. */
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    @Transactional
    public PlanHistory list(@RestPath UUID clientId) throws SQLException {
        Client client = ClientResource.visible(records, clientId);
        PricePlan initial = PricePlan.findById(client.pricePlanId);
        return new PlanHistory(clientId, new PlanRef(initial.id, initial.name),
                moves.history(clientId).stream().map(PlanChangeView::of).toList());
    }

    /**
     * Moves the client to plan {@code pricePlanId} from {@code effectiveFrom}, which must not be past; the plan must
     * be the same operator's and in the client's currency. A second move for the same instant corrects the first.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    public RestResponse<PlanChangeView> move(@RestPath UUID clientId, @NotNull @Valid NewPlanChange request)
            throws SQLException {
        Client client = ClientResource.visible(records, clientId);
        PlanMoves.PlanMove move = moves.move(client, request.pricePlanId(), request.effectiveFrom(),
                AdminApi.now(clock), caller.name());
        return AdminApi.created("/clients/" + clientId + "/plan-changes", PlanChangeView.of(move));
    }

    /** Body of {@code POST …/plan-changes}. */
    public record NewPlanChange(@NotNull UUID pricePlanId, @NotNull Instant effectiveFrom) {
    }

    /** A client's plan at creation and its moves since. */
    public record PlanHistory(UUID clientId, PlanRef initialPlan, List<PlanChangeView> changes) {
    }

    public record PlanRef(UUID id, String name) {
    }

    public record PlanChangeView(UUID id, UUID pricePlanId, String planName, Instant effectiveFrom, String createdBy,
            Instant createdAt) {

        static PlanChangeView of(PlanMoves.PlanMove move) {
            return new PlanChangeView(move.id(), move.planId(), move.planName(), move.effectiveFrom(),
                    move.createdBy(), move.createdAt());
        }
    }
}

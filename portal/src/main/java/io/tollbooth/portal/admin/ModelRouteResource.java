package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.routing.BackendCatalog;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for which backends serve each model name (or alias) an operator's callers send, and how they share
 * it. A model without a route is served by the gateway's configured backend. The model is the rest of the path, so
 * names with a slash ({@code meta-llama/Llama-3.2-3B-Instruct}) need no encoding.
 */
@Path(AdminApi.V1 + "/operators/{operatorId}/model-routes")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ModelRouteResource {

    @Inject
    BackendCatalog catalog;

    @Inject
    Caller caller;

    /** Every routed model by name, each with its strategy and its backends by priority. */
    @GET
    @Transactional
    public List<BackendCatalog.ModelRoute> list(@RestPath UUID operatorId) {
        return catalog.routes(operatorId);
    }

    @GET
    @Path("{model: .+}")
    @Transactional
    public BackendCatalog.ModelRoute get(@RestPath UUID operatorId, @RestPath String model) {
        return catalog.route(operatorId, model);
    }

    /**
     * Replaces the model's routes and strategy at once. 400 lists every invalid field (duplicate backend or
     * priority, weight below 1, unknown strategy, no backend); 404 for a backend that is not the operator's.
     */
    @PUT
    @Path("{model: .+}")
    @Transactional
    public BackendCatalog.ModelRoute put(@RestPath UUID operatorId, @RestPath String model,
            @NotNull @Valid RouteRequest request) {
        List<TargetRequest> given = request.backends() == null ? List.of() : request.backends();
        List<BackendCatalog.Target> targets = IntStream.range(0, given.size())
                .mapToObj(i -> given.get(i) == null ? null : given.get(i).target(i))
                .toList();
        return catalog.replaceRoute(operatorId, model, request.strategy(), targets, caller.name());
    }

    /** Removes the model's routes: the gateway's configured backend serves it again. */
    @DELETE
    @Path("{model: .+}")
    @Transactional
    public RestResponse<Void> delete(@RestPath UUID operatorId, @RestPath String model) {
        catalog.deleteRoute(operatorId, model, caller.name());
        return RestResponse.noContent();
    }

    /**
     * Body of {@code PUT .../model-routes/{model}}.
     *
     * @param strategy {@code priority} (the default), {@code weighted} or {@code least_in_flight}
     */
    public record RouteRequest(String strategy, List<TargetRequest> backends) {
    }

    /**
     * One backend of the model.
     *
     * @param priority lower is tried first (default: its place in the list); unique within the model
     * @param weight share under the weighted strategy (default 1)
     * @param backendModel the name the backend knows the model by; absent to send the caller's
     */
    public record TargetRequest(UUID backendId, Integer priority, Integer weight, String backendModel) {

        /** The target, {@code index} standing in for a priority not given. */
        BackendCatalog.Target target(int index) {
            return new BackendCatalog.Target(backendId, priority == null ? index : priority,
                    weight == null ? 1 : weight, backendModel);
        }
    }
}

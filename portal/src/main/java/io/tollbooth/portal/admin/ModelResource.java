package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.pricing.Model;
import io.tollbooth.portal.tenant.Operator;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API for the model names an operator serves and prices. */
@Path(AdminApi.V1 + "/models")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ModelResource {

    private static final Logger LOG = Logger.getLogger(ModelResource.class);

    @Inject
    Clock clock;

    /** Registers a model name; 404 for an unknown operator, 409 when the operator already has the name. */
    @POST
    @Transactional
    public RestResponse<ModelView> create(@NotNull @Valid CreateModel request) {
        if (Operator.findByIdOptional(request.operatorId()).isEmpty()) {
            throw AdminException.notFound("operator", request.operatorId());
        }
        if (Model.findByName(request.operatorId(), request.name()).isPresent()) {
            throw AdminException.conflict("the operator already has a model named '" + request.name() + "'");
        }
        Model model = new Model();
        model.id = UUID.randomUUID();
        model.operatorId = request.operatorId();
        model.name = request.name();
        model.createdAt = AdminApi.now(clock);
        model.persistAndFlush();

        LOG.infof("model_created operator=%s model=%s", model.operatorId, model.name);
        return AdminApi.created("/models/" + model.id, ModelView.of(model));
    }

    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    @GET
    @Path("{id}")
    public ModelView get(@RestPath UUID id) {
        return Model.<Model>findByIdOptional(id)
                .map(ModelView::of)
                .orElseThrow(() -> AdminException.notFound("model", id));
    }

    /** Body of {@code POST /admin/v1/models}. */
    public record CreateModel(@NotNull UUID operatorId, @NotBlank @Size(max = 200) String name) {
    }

    /** A model as the admin API shows it. */
    public record ModelView(UUID id, UUID operatorId, String name, Instant createdAt) {

        static ModelView of(Model m) {
            return new ModelView(m.id, m.operatorId, m.name, m.createdAt);
        }
    }
}

package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.tenant.Operator;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API for operators, the MSPs that run Tollbooth. */
@Path(AdminApi.V1 + "/operators")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OperatorResource {

    private static final Logger LOG = Logger.getLogger(OperatorResource.class);

    @Inject
    Clock clock;

    /** Creates an operator; 409 when the slug is taken. */
    @POST
    @Transactional
    public RestResponse<OperatorView> create(@NotNull @Valid CreateOperator request) {
        if (Operator.findBySlug(request.slug()).isPresent()) {
            throw AdminException.conflict("an operator with slug '" + request.slug() + "' already exists");
        }
        Operator operator = new Operator();
        operator.id = UUID.randomUUID();
        operator.slug = request.slug();
        operator.name = request.name();
        operator.address = request.address();
        operator.taxId = request.taxId();
        operator.currency = request.currency();
        operator.createdAt = AdminApi.now(clock);
        operator.persistAndFlush();

        LOG.infof("operator_created operator=%s slug=%s", operator.id, operator.slug);
        return AdminApi.created("/operators/" + operator.id, OperatorView.of(operator));
    }

    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    @GET
    @Path("{id}")
    public OperatorView get(@RestPath UUID id) {
        return Operator.<Operator>findByIdOptional(id)
                .map(OperatorView::of)
                .orElseThrow(() -> AdminException.notFound("operator", id));
    }

    /** Body of {@code POST /admin/v1/operators}. */
    public record CreateOperator(
            @NotBlank @Size(max = 63) @Pattern(regexp = AdminApi.SLUG, message = AdminApi.SLUG_MESSAGE) String slug,
            @NotBlank @Size(max = 200) String name,
            @Size(max = 1000) String address,
            @Size(max = 100) String taxId,
            @NotNull @CurrencyCode String currency) {
    }

    /** An operator as the admin API shows it. */
    public record OperatorView(
            UUID id, String slug, String name, String address, String taxId, String currency, Instant createdAt) {

        static OperatorView of(Operator o) {
            return new OperatorView(o.id, o.slug, o.name, o.address, o.taxId, o.currency, o.createdAt);
        }
    }
}

package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.pricing.PricePlan;
import io.tollbooth.portal.tenant.Client;
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

/** Admin API for clients, the operator's tenants. */
@Path(AdminApi.V1 + "/clients")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClientResource {

    private static final Logger LOG = Logger.getLogger(ClientResource.class);

    @Inject
    Clock clock;

    @Inject
    ScopedRecords records;

    /**
     * Creates a client billed by a plan of the same operator and currency; 404 for an unknown operator or plan,
     * 409 when the slug is taken within the operator.
     */
    @POST
    @Transactional
    public RestResponse<ClientView> create(@NotNull @Valid CreateClient request) {
        if (Operator.findByIdOptional(request.operatorId()).isEmpty()) {
            throw AdminException.notFound("operator", request.operatorId());
        }
        PricePlan plan = PricePlan.<PricePlan>findByIdOptional(request.pricePlanId())
                .filter(p -> p.operatorId.equals(request.operatorId()))
                .orElseThrow(() -> AdminException.notFound("price plan", request.pricePlanId()));
        if (!plan.currency.equals(request.currency())) {
            throw AdminException.invalid("currency: must equal the price plan's currency " + plan.currency);
        }
        if (Client.findBySlug(request.operatorId(), request.slug()).isPresent()) {
            throw AdminException.conflict("the operator already has a client with slug '" + request.slug() + "'");
        }
        Client client = new Client();
        client.id = UUID.randomUUID();
        client.operatorId = request.operatorId();
        client.slug = request.slug();
        client.name = request.name();
        client.currency = request.currency();
        client.timeZone = request.timeZone();
        client.pricePlanId = plan.id;
        client.createdAt = AdminApi.now(clock);
        client.persistAndFlush();

        LOG.infof("client_created operator=%s client=%s slug=%s", client.operatorId, client.id, client.slug);
        return AdminApi.created("/clients/" + client.id, ClientView.of(client));
    }

    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE, Roles.CLIENT_ADMIN, Roles.CLIENT_VIEWER})
    @GET
    @Path("{id}")
    public ClientView get(@RestPath UUID id) {
        return ClientView.of(visible(records, id));
    }

    /**
     * The client with this id if the caller may see it, or a 404 problem: the same answer whether the client does
     * not exist or belongs to someone else.
     */
    static Client visible(ScopedRecords records, UUID id) {
        return records.client(id).orElseThrow(() -> AdminException.notFound("client", id));
    }

    /** Body of {@code POST /admin/v1/clients}. */
    public record CreateClient(
            @NotNull UUID operatorId,
            @NotBlank @Size(max = 63) @Pattern(regexp = AdminApi.SLUG, message = AdminApi.SLUG_MESSAGE) String slug,
            @NotBlank @Size(max = 200) String name,
            @NotNull @CurrencyCode String currency,
            @NotNull @TimeZoneId String timeZone,
            @NotNull UUID pricePlanId) {
    }

    /** A client as the admin API shows it. */
    public record ClientView(UUID id, UUID operatorId, String slug, String name, String currency, String timeZone,
            UUID pricePlanId, Instant createdAt) {

        static ClientView of(Client c) {
            return new ClientView(c.id, c.operatorId, c.slug, c.name, c.currency, c.timeZone, c.pricePlanId,
                    c.createdAt);
        }
    }
}

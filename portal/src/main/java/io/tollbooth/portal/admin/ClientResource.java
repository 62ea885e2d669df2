package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.tenant.ClientDesk;
import io.tollbooth.portal.tenant.Operator;
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
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API for clients, the operator's tenants; their billing accounts are {@link ClientAccountResource}'s. */
@Path(AdminApi.V1 + "/clients")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClientResource {

    @Inject
    ClientDesk desk;

    @Inject
    ScopedRecords records;

    /**
     * Creates a client billed by a plan of the same operator and currency; 404 for an unknown operator or plan,
     * 409 when the slug is taken within the operator.
     */
    @POST
    public RestResponse<ClientView> create(@NotNull @Valid CreateClient request) {
        Client client = desk.create(request.operatorId(), request.slug(), request.name(), request.currency(),
                request.timeZone(), request.pricePlanId());
        return AdminApi.created("/clients/" + client.id, ClientView.of(client));
    }

    /** The operator's clients, oldest first; 404 for an unknown operator. */
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    public List<ClientView> list(@RestQuery @NotNull
            @Pattern(regexp = AdminApi.UUID_TEXT, message = AdminApi.UUID_MESSAGE) String operatorId) {
        UUID id = UUID.fromString(operatorId);
        if (Operator.findByIdOptional(id).isEmpty()) {
            throw AdminException.notFound("operator", id);
        }
        return Client.listByOperator(id).stream().map(ClientView::of).toList();
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

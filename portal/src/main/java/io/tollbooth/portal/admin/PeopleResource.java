package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.identity.PeopleDirectory;
import io.tollbooth.portal.identity.Person;
import io.tollbooth.portal.tenant.Client;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for a client's people: the accounts that sign in to the portal for that client. Their accounts live in
 * Keycloak; Tollbooth creates them without a password (Keycloak asks the person to choose one) and disables them
 * when they are removed. Operators manage every client's people, a client's admins their own client's.
 */
@Path(AdminApi.V1 + "/clients/{clientId}/people")
@RolesAllowed({Roles.OPERATOR, Roles.CLIENT_ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PeopleResource {

    @Inject
    ScopedRecords records;

    @Inject
    PeopleDirectory directory;

    @Inject
    Caller caller;

    /**
     * Invites a person to the client with a client role: 201 with the person; 404 for a client not visible, 409
     * when Keycloak already has the address, 502 when Keycloak fails.
     */
    @POST
    public RestResponse<PersonView> invite(@RestPath UUID clientId, @NotNull @Valid Invitation request) {
        Client client = ClientResource.visible(records, clientId);
        Person person = directory.invite(client.id, request.email().toLowerCase(Locale.ROOT), request.firstName(),
                request.lastName(), request.role());
        return AdminApi.created("/clients/" + client.id + "/people/" + person.id(), PersonView.of(person));
    }

    /** The client's people, removed ones included (disabled), in the order they were invited. */
    @GET
    public List<PersonView> list(@RestPath UUID clientId) {
        Client client = ClientResource.visible(records, clientId);
        return directory.list(client.id).stream().map(PersonView::of).toList();
    }

    @GET
    @Path("{personId}")
    public PersonView get(@RestPath UUID clientId,
            @RestPath @Pattern(regexp = AdminApi.UUID_TEXT, message = AdminApi.UUID_MESSAGE) String personId) {
        Client client = ClientResource.visible(records, clientId);
        return directory.find(client.id, personId).map(PersonView::of)
                .orElseThrow(() -> notFound(personId));
    }

    /**
     * Removes a person: their Keycloak account is disabled and their sessions end, so they can no longer sign in;
     * the account is kept for the record. 204; 404 for a person of another client.
     */
    @DELETE
    @Path("{personId}")
    public RestResponse<Void> remove(@RestPath UUID clientId,
            @RestPath @Pattern(regexp = AdminApi.UUID_TEXT, message = AdminApi.UUID_MESSAGE) String personId) {
        Client client = ClientResource.visible(records, clientId);
        refuseSelfRemoval(caller, client, personId);
        directory.disable(client.id, personId).orElseThrow(() -> notFound(personId));
        return RestResponse.noContent();
    }

    /**
     * Refuses (409) a person's removal of themselves, so that a client cannot lock out its last admin by accident;
     * the pages apply the same rule.
     */
    public static void refuseSelfRemoval(Caller caller, Client client, String personId) {
        if (caller.subject().filter(personId::equals).isPresent()) {
            throw AdminException.conflict("You cannot remove yourself; another admin of " + client.name + " can.");
        }
    }

    private static AdminException notFound(String personId) {
        return new AdminException(AdminError.NOT_FOUND, "person " + personId + " does not exist");
    }

    /**
     * Body of {@code POST /admin/v1/clients/{clientId}/people}.
     *
     * @param email the address the person signs in with; Keycloak sends the invitation there
     * @param role {@code client-admin} or {@code client-viewer}; staff roles are never given this way
     */
    public record Invitation(
            @NotBlank @Email @Size(max = 254) String email,
            @NotBlank @Size(max = 100) String firstName,
            @NotBlank @Size(max = 100) String lastName,
            @NotNull @Pattern(regexp = "client-admin|client-viewer", message = "must be client-admin or client-viewer")
            String role) {
    }

    /**
     * A person as the admin API shows it; never a credential.
     *
     * @param enabled false once the person was removed
     */
    public record PersonView(String id, UUID clientId, String email, String firstName, String lastName, String role,
            boolean enabled, Instant invitedAt) {

        static PersonView of(Person p) {
            return new PersonView(p.id(), p.clientId(), p.email(), p.firstName(), p.lastName(), p.role(),
                    p.enabled(), p.createdAt());
        }
    }
}

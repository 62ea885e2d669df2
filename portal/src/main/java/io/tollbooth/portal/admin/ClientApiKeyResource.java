package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.apikey.ApiKey;
import io.tollbooth.portal.apikey.ApiKeyIssuer;
import io.tollbooth.portal.tenant.Client;
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
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for a client's API keys. A key is shown once, in the response that creates it; afterwards only its
 * prefix is known to Tollbooth. Revoking is {@link ApiKeyResource}'s.
 */
@Path(AdminApi.V1 + "/clients/{clientId}/api-keys")
@RolesAllowed({Roles.OPERATOR, Roles.CLIENT_ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClientApiKeyResource {

    @Inject
    ApiKeyIssuer issuer;

    @Inject
    ScopedRecords records;

    /** Creates a key for the client and returns it, the only time it is ever shown; 404 for a client not visible. */
    @POST
    @Transactional
    public RestResponse<CreatedKey> create(@RestPath UUID clientId, @NotNull @Valid CreateKey request) {
        Client client = ClientResource.visible(records, clientId);
        ApiKeyIssuer.Issued issued = issuer.issue(client.id, request.name());
        ApiKey key = issued.stored();
        return AdminApi.created("/clients/" + client.id + "/api-keys",
                new CreatedKey(key.id, key.name, key.prefix, issued.key()));
    }

    /** The client's keys, oldest first, with prefixes only. */
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.CLIENT_ADMIN, Roles.CLIENT_VIEWER})
    public List<KeyView> list(@RestPath UUID clientId) {
        Client client = ClientResource.visible(records, clientId);
        return ApiKey.listByClient(client.id).stream().map(KeyView::of).toList();
    }

    /** Body of {@code POST /admin/v1/clients/{clientId}/api-keys}. */
    public record CreateKey(@NotBlank @Size(max = 200) String name) {
    }

    /**
     * A key just created.
     *
     * @param key the full key; shown in this response only and never again
     */
    public record CreatedKey(UUID id, String name, String prefix, String key) {

        /** Keeps the key out of anything that prints this record. */
        @Override
        public String toString() {
            return "CreatedKey[id=" + id + ", prefix=" + prefix + "]";
        }
    }

    /** A stored key: everything but the key itself. */
    public record KeyView(UUID id, UUID clientId, String name, String prefix, Instant createdAt, Instant expiresAt,
            Instant revokedAt) {

        static KeyView of(ApiKey k) {
            return new KeyView(k.id, k.clientId, k.name, k.prefix, k.createdAt, k.expiresAt, k.revokedAt);
        }
    }
}

package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.admin.ClientApiKeyResource.KeyView;
import io.tollbooth.portal.apikey.ApiKey;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;

/** Admin API for a single API key, whoever's it is. */
@Path(AdminApi.V1 + "/api-keys/{id}")
@RolesAllowed({Roles.OPERATOR, Roles.CLIENT_ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private static final Logger LOG = Logger.getLogger(ApiKeyResource.class);

    @Inject
    Clock clock;

    @Inject
    ScopedRecords records;

    /** Revokes a key at once; revoking a revoked key changes nothing; 404 for a key of a client not visible. */
    @POST
    @Path("revoke")
    @Transactional
    public KeyView revoke(@RestPath UUID id) {
        ApiKey key = records.apiKey(id).orElseThrow(() -> AdminException.notFound("API key", id));
        if (key.revokedAt == null) {
            key.revokedAt = AdminApi.now(clock);
            LOG.infof("api_key_revoked client=%s key_prefix=%s", key.clientId, key.prefix);
        }
        return KeyView.of(key);
    }
}

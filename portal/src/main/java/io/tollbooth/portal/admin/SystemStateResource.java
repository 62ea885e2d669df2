package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.operations.SystemState;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Admin API for the state of the installation as an operator checks it: metering's consumer lag by partition,
 * dead letters, the operator's unpriced usage, its backends' health probed now and the gateways' spool depth.
 */
@Path(AdminApi.V1 + "/operators/{operatorId}/system-state")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class SystemStateResource {

    @Inject
    SystemState state;

    /** Reads everything now; a part that cannot be read (Kafka down, a gateway unreachable) says why. */
    @GET
    @Transactional
    public SystemState.Snapshot get(@RestPath UUID operatorId) {
        return state.snapshot(operatorId);
    }
}

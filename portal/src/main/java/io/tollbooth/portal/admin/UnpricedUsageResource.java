package io.tollbooth.portal.admin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tollbooth.metering.ledger.Rerating;
import io.tollbooth.metering.ledger.UnpricedUsage;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.tenant.Operator;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/** Admin API for the usage stored {@code UNPRICED}: what waits for a price before it can be invoiced. */
@Path(AdminApi.V1 + "/operators/{operatorId}/unpriced-usage")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class UnpricedUsageResource {

    @Inject
    Rerating rerating;

    /** The operator's usage stored {@code UNPRICED}, per client and model; 404 for an unknown operator. */
    @GET
    public List<UnpricedView> unpriced(@RestPath UUID operatorId) throws SQLException {
        QuarkusTransaction.requiringNew().run(() -> {
            if (Operator.findByIdOptional(operatorId).isEmpty()) {
                throw AdminException.notFound("operator", operatorId);
            }
        });
        return rerating.unpriced(operatorId).stream().map(UnpricedView::of).toList();
    }

    /** Usage waiting for a price: its events, the first and last of them, and why they have no price. */
    public record UnpricedView(UUID clientId, String model, long events, Instant first, Instant last,
            String reason) {

        static UnpricedView of(UnpricedUsage u) {
            return new UnpricedView(u.clientId(), u.model(), u.events(), u.first(), u.last(), u.reason());
        }
    }
}

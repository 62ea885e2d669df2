package io.tollbooth.portal.admin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tollbooth.metering.ledger.Correction;
import io.tollbooth.metering.ledger.RatingAuditEntry;
import io.tollbooth.metering.ledger.RerateRefusedException;
import io.tollbooth.metering.ledger.Rerating;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Admin API for re-rating a client's days with the prices in the book now, after a price was fixed. Every
 * re-rating is audited with who asked, when and why.
 */
@Path(AdminApi.V1 + "/clients/{clientId}/rerate")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class RerateResource {

    @Inject
    Rerating rerating;

    @Inject
    ScopedRecords records;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    /**
     * Rates the client's local days {@code from} to {@code to} (both included) again and answers with the audit
     * row: amounts of open periods are replaced; for invoiced ones the difference is recorded for billing.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RerateView rerate(@RestPath UUID clientId, @NotNull @Valid RerateRequest request) throws SQLException {
        QuarkusTransaction.requiringNew().run(() -> ClientResource.visible(records, clientId));
        if (request.to().isBefore(request.from())) {
            throw AdminException.invalid("to: must not be before from");
        }
        Correction correction = new Correction(caller.name(), AdminApi.now(clock), request.reason());
        try {
            return RerateView.of(rerating.rerate(clientId, request.from(), request.to().plusDays(1), correction));
        } catch (RerateRefusedException e) {
            throw AdminException.conflict(e.getMessage());
        }
    }

    /** Body of {@code POST /admin/v1/clients/{clientId}/rerate}: local days of the client, both included. */
    public record RerateRequest(@NotNull LocalDate from, @NotNull LocalDate to,
            @NotBlank @Size(max = 500) String reason) {
    }

    /** A re-rating's audit row; amounts are exact decimal strings in the client's currency. */
    public record RerateView(UUID clientId, Instant periodStart, Instant periodEnd, String actor, String reason,
            Instant occurredAt, int events, int unpricedBefore, int unpricedAfter, String amountBefore,
            String amountAfter, String costBefore, String costAfter, String currency) {

        static RerateView of(RatingAuditEntry e) {
            return new RerateView(e.clientId(), e.periodStart(), e.periodEnd(), e.actor(), e.reason(),
                    e.occurredAt(), e.events(), e.unpricedBefore(), e.unpricedAfter(),
                    AdminApi.decimal(e.amountBefore()), AdminApi.decimal(e.amountAfter()),
                    AdminApi.decimal(e.costBefore()), AdminApi.decimal(e.costAfter()), e.currency());
        }
    }
}

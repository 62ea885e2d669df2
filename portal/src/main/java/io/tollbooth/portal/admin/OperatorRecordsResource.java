package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.operations.OperatorRecords;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Admin API for an operator's audit log of invoices and credit notes, and its usage that waits for a price. */
@Path(AdminApi.V1 + "/operators/{operatorId}")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
@Produces(MediaType.APPLICATION_JSON)
public class OperatorRecordsResource {

    @Inject
    OperatorRecords records;

    /** Who changed which invoice or credit note in {@code period} (UTC month), newest first. */
    @GET
    @Path("audit")
    @Transactional
    public List<OperatorRecords.AuditEntry> audit(@RestPath UUID operatorId,
            @RestQuery @NotNull @Pattern(regexp = AdminApi.PERIOD, message = AdminApi.PERIOD_MESSAGE) String period) {
        return records.audit(operatorId, YearMonth.parse(period));
    }

    /** Usage that waits for a price, per client and model: it is on no invoice until priced and re-rated. */
    @GET
    @Path("unpriced-usage")
    @Transactional
    public List<OperatorRecords.Unpriced> unpriced(@RestPath UUID operatorId) {
        return records.unpriced(operatorId);
    }
}

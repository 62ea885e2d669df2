package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.admin.InvoiceResource.InvoiceJson;
import io.tollbooth.portal.invoicing.InvoiceDesk;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestQuery;

/** Admin API listing an operator's invoices of a month, drafts and issued alike, for review before and after a run. */
@Path(AdminApi.V1 + "/invoices")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
@Produces(MediaType.APPLICATION_JSON)
public class InvoiceListResource {

    @Inject
    InvoiceDesk desk;

    /**
     * The operator's invoices for periods starting in {@code period} (each client's month in its own zone), by
     * number with drafts last; {@code status} keeps only those in that status ({@code draft}, {@code finalized},
     * ...). 404 for an unknown operator.
     */
    @GET
    public List<InvoiceJson> list(
            @RestQuery @NotNull @Pattern(regexp = AdminApi.UUID_TEXT, message = AdminApi.UUID_MESSAGE)
            String operatorId,
            @RestQuery @NotNull @Pattern(regexp = AdminApi.PERIOD, message = AdminApi.PERIOD_MESSAGE) String period,
            @RestQuery @Pattern(regexp = "(?i)draft|finalized|sent|paid|payment_failed|refunded|void",
                    message = "must be an invoice status such as draft or finalized") String status) {
        return desk.invoicesOf(UUID.fromString(operatorId), YearMonth.parse(period)).stream()
                .filter(invoice -> status == null || invoice.status().name().equals(status.toUpperCase(Locale.ROOT)))
                .map(InvoiceJson::of)
                .toList();
    }
}

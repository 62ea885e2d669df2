package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.pricing.PriceBookDesk;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin API for every client's margin in a month, side by side: the totals of {@code …/clients/{clientId}/margins}
 * for each client of the operator, the month in each client's own time zone.
 */
@Path(AdminApi.V1 + "/operators/{operatorId}/margins")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
@Produces(MediaType.APPLICATION_JSON)
public class OperatorMarginResource {

    @Inject
    PriceBookDesk desk;

    /** Each client's totals for {@code period}, clients by name. */
    @GET
    public List<ClientMarginView> get(@RestPath UUID operatorId,
            @RestQuery @NotNull @Pattern(regexp = AdminApi.PERIOD, message = AdminApi.PERIOD_MESSAGE) String period) {
        return desk.operatorMargins(operatorId, YearMonth.parse(period)).stream().map(ClientMarginView::of).toList();
    }

    /**
     * One client's month.
     *
     * @param currency the client's (revenue); {@code costCurrency} the operator's (cost)
     * @param comparable whether both are the same, so that a margin exists
     */
    public record ClientMarginView(UUID clientId, String client, String currency, String costCurrency,
            boolean comparable, MarginResource.MarginView total) {

        static ClientMarginView of(PriceBookDesk.Margins margins) {
            int digits = Currency.getInstance(margins.currency()).getDefaultFractionDigits();
            return new ClientMarginView(margins.client().id, margins.client().name, margins.currency(),
                    margins.costCurrency(), margins.comparable(),
                    MarginResource.MarginView.of(margins.total(), digits));
        }
    }
}

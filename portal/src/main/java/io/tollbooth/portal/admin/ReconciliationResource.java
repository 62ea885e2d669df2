package io.tollbooth.portal.admin;

import io.tollbooth.billing.reconciliation.ReconciliationReport;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.finance.Reconciliations;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin API for finance's reconciliation: each invoice of an operator's month traced from its usage events through
 * rated amounts and lines to Stripe, with every difference. It only reads.
 */
@Path(AdminApi.V1 + "/reconciliation")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    @Inject
    Reconciliations reconciliations;

    /** The operator's invoices for periods starting in {@code period}, by number, drafts last; 404 without it. */
    @GET
    public List<InvoiceReconciliationJson> month(
            @RestQuery @NotNull @Pattern(regexp = AdminApi.UUID_TEXT, message = AdminApi.UUID_MESSAGE)
            String operatorId,
            @RestQuery @NotNull @Pattern(regexp = AdminApi.PERIOD, message = AdminApi.PERIOD_MESSAGE) String period) {
        return reconciliations.of(UUID.fromString(operatorId), YearMonth.parse(period)).stream()
                .map(InvoiceReconciliationJson::of)
                .toList();
    }

    /**
     * One invoice reconciled. Amounts are decimal strings: {@code ratedAmount} at full precision, the others with
     * the currency's decimals.
     *
     * @param number null while a draft
     * @param periodEnd the last day of the period
     * @param stripeAmount what Stripe was asked to collect; null if the invoice has not reached Stripe
     * @param differences every disagreement, in stage order; empty when {@code balanced}
     */
    public record InvoiceReconciliationJson(UUID invoiceId, String number, UUID clientId, String client,
            LocalDate periodStart, LocalDate periodEnd, String currency, long ratedEvents, String ratedAmount,
            String linesAmount, String amountDue, String stripeAmount, boolean balanced,
            List<DifferenceJson> differences) {

        static InvoiceReconciliationJson of(Reconciliations.Row row) {
            ReconciliationReport r = row.report();
            return new InvoiceReconciliationJson(r.invoiceId(), r.number(), r.clientId(), row.clientSlug(),
                    r.periodStart(), r.periodEnd().minusDays(1), r.currency(), r.ratedEvents(),
                    AdminApi.decimal(r.ratedAmount()), AdminApi.decimal(r.linesAmount()),
                    AdminApi.decimal(r.amountDue()), AdminApi.decimal(r.stripeAmount()), r.balanced(),
                    r.differences().stream().map(d -> new DifferenceJson(d.stage().name(), d.subject(),
                            d.expected(), d.actual())).toList());
        }
    }

    /**
     * Where two stages disagree.
     *
     * @param stage {@code EVENTS_TO_RATED}, {@code RATED_TO_LINES}, {@code LINES_TO_TOTALS} or {@code TOTALS_TO_STRIPE}
     * @param actual what the later stage holds; {@code missing} if nothing
     */
    public record DifferenceJson(String stage, String subject, String expected, String actual) {
    }
}

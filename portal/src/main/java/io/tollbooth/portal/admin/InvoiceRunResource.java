package io.tollbooth.portal.admin;

import io.tollbooth.billing.invoice.ClientCloseOutcome;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.invoice.MonthEndRun;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Admin API that closes a month into invoices for every client of an operator. Each client is closed in its own
 * transaction, so running again is safe: closed months are reported, not invoiced twice.
 */
@Path(AdminApi.V1 + "/invoice-runs")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InvoiceRunResource {

    @Inject
    MonthEndRun monthEndRun;

    @Inject
    Caller caller;

    /**
     * Closes {@code period} for every client of the operator, each in its own time zone. Answers 200 with every
     * client's invoice, or 409 (billing refused) when billing refused any client; that problem lists the refusals
     * and the invoices the run did close. Deliberately not one transaction: one client's refusal must not undo
     * the others' invoices. Invoices are finalized (numbered) unless the request asks for drafts to review.
     */
    @POST
    public InvoiceRun run(@NotNull @Valid StartRun request) {
        YearMonth month = YearMonth.parse(request.period());
        List<ClientCloseOutcome> outcomes = monthEndRun.closeMonth(request.operatorId(), month, request.closeEarly(),
                !request.draftsOnly(), caller.name());

        List<RunInvoice> invoices = outcomes.stream()
                .filter(outcome -> outcome.invoice() != null)
                .map(RunInvoice::of)
                .toList();
        List<Refusal> refusals = outcomes.stream()
                .filter(outcome -> outcome.status() == ClientCloseOutcome.Status.REFUSED)
                .map(outcome -> new Refusal(outcome.clientId(), outcome.error().name(), outcome.reason()))
                .toList();
        if (!refusals.isEmpty()) {
            String detail = refusals.size() + " of " + outcomes.size() + " clients refused: "
                    + refusals.stream().map(Refusal::reason).collect(Collectors.joining("; "));
            throw new AdminException(AdminError.BILLING_REFUSED, detail,
                    Map.of("refusals", refusals, "invoices", invoices));
        }
        return new InvoiceRun(request.operatorId(), month.toString(), invoices);
    }

    /**
     * Body of {@code POST /admin/v1/invoice-runs}.
     *
     * @param period the month to close, for example {@code 2026-12}, in each client's own time zone
     * @param closeEarly close the month before it has ended (demos and tests); later usage then misses the invoice
     * @param draftsOnly leave each client's invoice a draft to review, instead of numbering and issuing it
     */
    public record StartRun(
            @NotNull UUID operatorId,
            @NotNull @Pattern(regexp = AdminApi.PERIOD, message = AdminApi.PERIOD_MESSAGE) String period,
            boolean closeEarly,
            boolean draftsOnly) {
    }

    /** What a run did: one invoice per client of the operator. */
    public record InvoiceRun(UUID operatorId, String period, List<RunInvoice> invoices) {
    }

    /**
     * One client's invoice for the month.
     *
     * @param number the invoice number; null while a draft
     * @param status the invoice's status, for example {@code DRAFT} or {@code FINALIZED}
     * @param total the invoice's total as a decimal string with the currency's decimals, for example {@code "0.04"}
     * @param created true if this run created the invoice; false if the month had been closed before
     */
    public record RunInvoice(UUID id, UUID clientId, String clientName, String number, String status,
            String currency, String total, boolean created) {

        static RunInvoice of(ClientCloseOutcome outcome) {
            InvoiceView invoice = outcome.invoice();
            return new RunInvoice(invoice.id(), invoice.billTo().clientId(), invoice.billTo().name(),
                    invoice.number(), invoice.status().name(), invoice.currency(), invoice.total().text(),
                    outcome.status() == ClientCloseOutcome.Status.CREATED);
        }
    }

    /**
     * A client whose month billing refused to close; nothing was written for it.
     *
     * @param code billing's stable reason code, for example {@code PERIOD_NOT_ENDED} or {@code UNPRICED_USAGE}
     * @param reason what to fix, for people
     */
    public record Refusal(UUID clientId, String code, String reason) {
    }
}

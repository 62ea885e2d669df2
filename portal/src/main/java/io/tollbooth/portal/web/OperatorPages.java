package io.tollbooth.portal.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tollbooth.billing.invoice.BillingAudit;
import io.tollbooth.billing.invoice.BillingException;
import io.tollbooth.billing.invoice.ClientCloseOutcome;
import io.tollbooth.billing.invoice.CreditNotes;
import io.tollbooth.billing.invoice.InvoiceStatus;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.payment.PushOutcome;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.invoicing.InvoiceDesk;
import io.tollbooth.portal.operations.OperatorRecords;
import io.tollbooth.portal.tenant.Client;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The operator's invoice runs: a month's invoices, the month-end close on demand, and each invoice's review page
 * with finalize, regenerate, void, credit note and Stripe push. Every form carries a CSRF token; every change goes
 * through {@link InvoiceDesk}, as the admin API's do, and lands in billing's audit trail under the operator's name.
 */
@Path("/portal/operator")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.TEXT_HTML)
public class OperatorPages {

    /** What a change did, by the code the page is redirected with, so that no free text travels in a URL. */
    private static final Map<String, String> NOTICES = Map.of(
            "finalized", "The invoice was finalized and numbered.",
            "regenerated", "The draft was rebuilt from the usage and billing account of now.",
            "voided", "The invoice was voided. It keeps its number and owes nothing.",
            "credited", "The credit note was issued and its total added to the client's credit balance.");

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance invoices(StaffFrame frame, OperatorChoice choice, List<InvoiceRow> invoices,
                String error);

        static native TemplateInstance runResult(StaffFrame frame, OperatorChoice choice, List<OutcomeRow> outcomes);

        static native TemplateInstance invoice(StaffFrame frame, InvoiceDetail invoice, String notice, String error);

        static native TemplateInstance audit(StaffFrame frame, OperatorChoice choice, List<AuditRow> entries);

        static native TemplateInstance unpriced(StaffFrame frame, OperatorChoice choice, List<UnpricedRow> usage);
    }

    @Inject
    OperatorRecords records;

    @Inject
    InvoiceDesk desk;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    @Context
    HttpHeaders headers;

    @GET
    public RestResponse<Void> home(@Context UriInfo request) {
        return Redirects.keepingQuery("/portal/operator/invoices", request);
    }

    /** The chosen operator's invoices of the chosen month, and the form that closes the month. */
    @GET
    @Path("invoices")
    @Transactional
    public TemplateInstance invoices(@RestQuery String operator, @RestQuery String month) {
        return invoicesPage(OperatorChoice.of(operator, month, clock), null);
    }

    private TemplateInstance invoicesPage(OperatorChoice choice, String error) {
        List<InvoiceRow> rows = !choice.chosen() ? List.of()
                : desk.invoicesOf(choice.operatorId(), choice.month()).stream().map(this::row).toList();
        return Templates.invoices(frame("invoices"), choice, rows, error);
    }

    /** Runs the month-end close for every client of the operator and shows what it did for each. */
    @POST
    @Path("invoices/run")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> run(@RestForm String operator, @RestForm String month,
            @RestForm boolean closeEarly, @RestForm boolean draftsOnly) {
        OperatorChoice choice;
        try {
            choice = OperatorChoice.of(operator, month, clock);
        } catch (AdminException refusal) {
            return RestResponse.ResponseBuilder.create(RestResponse.Status.BAD_REQUEST,
                    invoicesPage(OperatorChoice.of(null, null, clock), "Nothing was closed: " + refusal.detail()
                            + ".")).build();
        }
        if (!choice.chosen()) {
            return RestResponse.ResponseBuilder.create(RestResponse.Status.BAD_REQUEST,
                    invoicesPage(choice, "Nothing was closed: choose the operator whose month to close.")).build();
        }
        List<ClientCloseOutcome> outcomes = desk.closeMonth(choice.operatorId(), choice.month(), closeEarly,
                !draftsOnly, caller.name());
        return RestResponse.ok(Templates.runResult(frame("invoices"), choice,
                outcomes.stream().map(this::outcome).toList()));
    }

    /** One invoice to review: its lines and totals, credit notes, history and what may be done with it. */
    @GET
    @Path("invoices/{id}")
    @Transactional
    public TemplateInstance invoice(@RestPath UUID id, @RestQuery String done) {
        return Templates.invoice(frame("invoices"), detail(desk.invoice(id)),
                done == null ? null : NOTICES.get(done), null);
    }

    @POST
    @Path("invoices/{id}/finalize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> finalizeInvoice(@RestPath UUID id) {
        return change(id, "finalized", () -> desk.finalizeInvoice(id, caller.name()));
    }

    @POST
    @Path("invoices/{id}/regenerate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> regenerate(@RestPath UUID id) {
        return change(id, "regenerated", () -> desk.regenerate(id, caller.name()));
    }

    @POST
    @Path("invoices/{id}/void")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> voidInvoice(@RestPath UUID id, @RestForm String reason) {
        if (reason == null || reason.isBlank()) {
            return refused(id, "Say why the invoice is voided.");
        }
        return change(id, "voided", () -> desk.voidInvoice(id, reason.strip(), caller.name()));
    }

    /**
     * Issues a credit note: for everything that is left of the invoice when no amount is given, otherwise one line
     * of that amount before tax.
     */
    @POST
    @Path("invoices/{id}/credit-notes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> credit(@RestPath UUID id, @RestForm String reason,
            @RestForm String amount, @RestForm String description) {
        if (reason == null || reason.isBlank()) {
            return refused(id, "Say why the invoice is credited.");
        }
        Optional<BigDecimal> partial = Optional.empty();
        if (amount != null && !amount.isBlank()) {
            if (!amount.strip().matches("\\d{1,12}(\\.\\d{1,12})?")) {
                return refused(id, "Write the amount as a plain number such as 12.50, or leave it empty to credit "
                        + "everything that is left.");
            }
            partial = Optional.of(new BigDecimal(amount.strip()));
        }
        String lineText = description == null || description.isBlank() ? reason.strip() : description.strip();
        CreditNotes.Request request = partial
                .map(value -> new CreditNotes.Request(reason.strip(), List.of(new CreditNotes.Line(lineText, value))))
                .orElseGet(() -> CreditNotes.Request.full(reason.strip()));
        return change(id, "credited", () -> desk.credit(id, request, caller.name()));
    }

    /** Pushes the invoice to Stripe now and shows what Stripe answered. */
    @POST
    @Path("invoices/{id}/stripe")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance pushToStripe(@RestPath UUID id) {
        PushOutcome outcome = desk.pushToStripe(id);
        String notice = "Stripe: " + outcome.result().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + (outcome.message() == null ? "" : " (" + outcome.message() + ")");
        return Templates.invoice(frame("invoices"), detail(desk.invoice(id)), notice, null);
    }

    /** Who changed which invoice or credit note in the chosen month (UTC), newest first. */
    @GET
    @Path("audit")
    @Transactional
    public TemplateInstance audit(@RestQuery String operator, @RestQuery String month) {
        OperatorChoice choice = OperatorChoice.of(operator, month, clock);
        ViewerFormat format = new ViewerFormat(locale(), Currency.getInstance("USD"), ZoneOffset.UTC);
        List<AuditRow> rows = !choice.chosen() ? List.of() : records.audit(choice.operatorId(), choice.month())
                .stream()
                .map(e -> new AuditRow(format.dateTime(e.at()),
                        "INVOICE".equals(e.entity()) ? "invoice" : "credit note",
                        e.number() == null ? "draft" : e.number(), e.client(),
                        e.from() == null ? "" : status(e.from()), status(e.to()), e.actor(),
                        e.reason() == null ? "" : e.reason()))
                .toList();
        return Templates.audit(frame("audit"), choice, rows);
    }

    /** The operator's usage that waits for a price, per client and model: on no invoice until priced. */
    @GET
    @Path("unpriced")
    @Transactional
    public TemplateInstance unpriced(@RestQuery String operator) {
        OperatorChoice choice = OperatorChoice.of(operator, null, clock);
        ViewerFormat format = new ViewerFormat(locale(), Currency.getInstance("USD"), ZoneOffset.UTC);
        List<UnpricedRow> rows = !choice.chosen() ? List.of() : records.unpriced(choice.operatorId()).stream()
                .map(u -> new UnpricedRow(u.client(), u.model(), format.count(u.events()), format.dateTime(u.first()),
                        format.dateTime(u.last()), u.reason() == null ? "" : u.reason()))
                .toList();
        return Templates.unpriced(frame("unpriced"), choice, rows);
    }

    private RestResponse<TemplateInstance> change(UUID id, String done, Runnable action) {
        try {
            action.run();
        } catch (BillingException refusal) {
            return refused(id, refusal.getMessage());
        }
        return RestResponse.seeOther(URI.create("/portal/operator/invoices/" + id + "?done=" + done));
    }

    private RestResponse<TemplateInstance> refused(UUID id, String error) {
        TemplateInstance page = Templates.invoice(frame("invoices"), detail(desk.invoice(id)), null, error);
        return RestResponse.ResponseBuilder.create(RestResponse.Status.CONFLICT, page).build();
    }

    private StaffFrame frame(String active) {
        return StaffFrame.of(caller, locale(), active);
    }

    private Locale locale() {
        return ViewerFormat.viewerLocale(headers.getAcceptableLanguages());
    }

    private ViewerFormat format(InvoiceView invoice) {
        return new ViewerFormat(locale(), Currency.getInstance(invoice.currency()),
                ZoneId.of(invoice.period().timeZone()));
    }

    private InvoiceRow row(InvoiceView invoice) {
        ViewerFormat format = format(invoice);
        return new InvoiceRow(invoice.id(), invoice.displayNumber(), invoice.billTo().name(), period(invoice, format),
                status(invoice.status()), invoice.currency(), format.money(invoice.total().value()),
                format.money(invoice.amountDue().value()));
    }

    private OutcomeRow outcome(ClientCloseOutcome outcome) {
        String client = Client.<Client>findByIdOptional(outcome.clientId()).map(c -> c.name)
                .orElse(outcome.clientId().toString());
        InvoiceView invoice = outcome.invoice();
        String result = switch (outcome.status()) {
            case CREATED -> "invoiced";
            case ALREADY_CLOSED -> "closed before";
            case REFUSED -> "refused";
        };
        if (invoice == null) {
            return new OutcomeRow(client, result, null, "", "", outcome.reason());
        }
        return new OutcomeRow(client, result, invoice.id(), invoice.displayNumber(), status(invoice.status()),
                format(invoice).money(invoice.total().value()));
    }

    private InvoiceDetail detail(InvoiceView invoice) {
        ViewerFormat format = format(invoice);
        String currency = invoice.currency();
        List<LineRow> lines = invoice.lines().stream()
                .map(line -> new LineRow(line.lineNo(), line.description(),
                        line.quantity() == null ? "" : format.count(line.quantity()),
                        line.unit() == null ? "" : line.unitPriceText() + " " + currency + " per " + line.pricedPer(),
                        format.money(line.amount().value())))
                .toList();
        List<TotalRow> taxes = invoice.taxes().stream()
                .map(tax -> new TotalRow(tax.label(), tax.reverseChargeNote() != null ? tax.reverseChargeNote()
                        : format.money(tax.amount().value())))
                .toList();
        List<CreditRow> credits = invoice.creditNotes().stream()
                .map(note -> new CreditRow(note.number(), format.date(note.issueDate()),
                        format.money(note.total().value())))
                .toList();
        List<HistoryRow> history = desk.history(invoice.id()).stream().map(entry -> history(entry, format)).toList();
        InvoiceStatus status = invoice.status();
        return new InvoiceDetail(invoice.id(), invoice.displayNumber(), status(status), invoice.billTo().name(),
                period(invoice, format), format.date(invoice.issueDate()), format.date(invoice.dueDate()), currency,
                lines, format.money(invoice.subtotal().value()), taxes, format.money(invoice.total().value()),
                format.money(invoice.creditApplied().value()), format.money(invoice.amountDue().value()), credits,
                history, invoice.voidReason(), status == InvoiceStatus.DRAFT, status.voidable() && credits.isEmpty(),
                status.issued(), desk.stripeEnabled() && status.voidable());
    }

    private static HistoryRow history(BillingAudit.Entry entry, ViewerFormat format) {
        return new HistoryRow(format.dateTime(entry.at()), entry.from() == null ? "" : status(entry.from()),
                status(entry.to()), entry.actor(), entry.reason() == null ? "" : entry.reason());
    }

    private static String period(InvoiceView invoice, ViewerFormat format) {
        return format.date(invoice.period().start()) + " – " + format.date(invoice.period().lastDay());
    }

    private static String status(InvoiceStatus status) {
        return status(status.name());
    }

    private static String status(String code) {
        return code.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** One change in the audit log, its time in UTC. */
    public record AuditRow(String at, String entity, String number, String client, String from, String to,
            String actor, String reason) {
    }

    /** A client's events of one model that wait for a price; times in UTC. */
    public record UnpricedRow(String client, String model, String events, String first, String last,
            String reason) {
    }

    /** An invoice in a month's list, amounts in its own currency for the viewer. */
    public record InvoiceRow(UUID id, String number, String client, String period, String status, String currency,
            String total, String amountDue) {
    }

    /**
     * What the month-end run did for one client.
     *
     * @param result {@code invoiced}, {@code closed before} or {@code refused}
     * @param invoiceId the client's invoice for the month; null if refused
     * @param reason why billing refused; null otherwise
     */
    public record OutcomeRow(String client, String result, UUID invoiceId, String number, String status,
            String total, String reason) {

        OutcomeRow(String client, String result, UUID invoiceId, String number, String status, String total) {
            this(client, result, invoiceId, number, status, total, null);
        }
    }

    /**
     * An invoice under review, every value formatted for the viewer, and which changes its status allows.
     *
     * @param canVoid issued, unpaid and without credit notes
     * @param canPush Stripe is enabled and the invoice is issued and unpaid
     */
    public record InvoiceDetail(UUID id, String number, String status, String client, String period,
            String issueDate, String dueDate, String currency, List<LineRow> lines, String subtotal,
            List<TotalRow> taxes, String total, String creditApplied, String amountDue, List<CreditRow> creditNotes,
            List<HistoryRow> history, String voidReason, boolean draft, boolean canVoid, boolean canCredit,
            boolean canPush) {
    }

    /** One invoice line; the unit price is per 1,000,000 tokens and never rounded. */
    public record LineRow(int lineNo, String description, String quantity, String unitPrice, String amount) {
    }

    /** A labelled amount, such as a tax. */
    public record TotalRow(String label, String amount) {
    }

    /** A credit note issued against the invoice. */
    public record CreditRow(String number, String issueDate, String total) {
    }

    /** One transition of the invoice, as billing's audit trail recorded it. */
    public record HistoryRow(String at, String from, String to, String actor, String reason) {
    }
}

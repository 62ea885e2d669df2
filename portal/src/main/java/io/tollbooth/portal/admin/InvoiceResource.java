package io.tollbooth.portal.admin;

import io.tollbooth.billing.invoice.CreditNoteView;
import io.tollbooth.billing.invoice.CreditNotes;
import io.tollbooth.billing.invoice.InvoiceLifecycle;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.payment.PushOutcome;
import io.tollbooth.billing.pdf.InvoicePdfRenderer;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.invoicing.InvoiceDesk;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for invoices, read from billing's {@link InvoiceView}: the JSON and the PDF show the same numbers
 * because both are built from it. Operators also move an invoice through its life here: finalize or regenerate a
 * draft, void an issued invoice, credit it, push it to Stripe.
 */
@Path(AdminApi.V1 + "/invoices/{id}")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE, Roles.CLIENT_ADMIN, Roles.CLIENT_VIEWER})
public class InvoiceResource {

    /** The media type of invoice documents. */
    public static final String APPLICATION_PDF = "application/pdf";

    @Inject
    InvoicePdfRenderer pdf;

    @Inject
    ScopedRecords records;

    @Inject
    InvoiceDesk desk;

    @Inject
    Caller caller;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public InvoiceJson get(@RestPath UUID id) {
        return InvoiceJson.of(find(id));
    }

    /** The invoice as a PDF document, offered for download as {@code <number>.pdf}. */
    @GET
    @Path("pdf")
    @Produces(APPLICATION_PDF)
    public RestResponse<byte[]> pdf(@RestPath UUID id) {
        InvoiceView invoice = find(id);
        return RestResponse.ResponseBuilder.ok(pdf.render(invoice), APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + invoice.displayNumber() + ".pdf\"")
                .build();
    }

    /** Numbers and issues a draft; an invoice that is already issued is answered as it is. */
    @POST
    @Path("finalize")
    @RolesAllowed(Roles.OPERATOR)
    @Produces(MediaType.APPLICATION_JSON)
    public InvoiceJson finalizeInvoice(@RestPath UUID id) {
        return InvoiceJson.of(desk.finalizeInvoice(id, caller.name()));
    }

    /** Rebuilds a draft from the usage and billing account of now; 409 (billing refused) unless it is a draft. */
    @POST
    @Path("regenerate")
    @RolesAllowed(Roles.OPERATOR)
    @Produces(MediaType.APPLICATION_JSON)
    public InvoiceJson regenerate(@RestPath UUID id) {
        return InvoiceJson.of(desk.regenerate(id, caller.name()));
    }

    /**
     * Voids an issued, unpaid invoice without credit notes; it keeps its number and owes nothing. 409 (billing
     * refused) for a draft, a paid or void invoice, or one with credit notes.
     */
    @POST
    @Path("void")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public InvoiceJson voidInvoice(@RestPath UUID id, @NotNull @Valid VoidRequest request) {
        return InvoiceJson.of(desk.voidInvoice(id, request.reason().strip(), caller.name()));
    }

    /**
     * Issues a credit note against an issued invoice: for the lines given, or, without lines, for everything that
     * is left of it. 409 (billing refused, code {@code CREDIT_EXCEEDS_INVOICE}) when the lines come to more than is
     * left.
     */
    @POST
    @Path("credit-notes")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<CreditNoteJson> credit(@RestPath UUID id, @NotNull @Valid CreditRequest request) {
        List<CreditNotes.Line> lines = request.lines() == null ? List.of() : request.lines().stream()
                .map(line -> new CreditNotes.Line(line.description().strip(), new BigDecimal(line.amount())))
                .toList();
        CreditNoteView note = desk.credit(id, new CreditNotes.Request(request.reason().strip(), lines), caller.name());
        return AdminApi.created("/invoices/" + id + "/credit-notes/" + note.id(), CreditNoteJson.of(note));
    }

    /**
     * Pushes a finalized invoice to Stripe now and answers what the push did ({@code PUSHED}, {@code RETRY_LATER},
     * {@code FAILED}, ...). 409 (payments off) when Stripe is not enabled.
     */
    @POST
    @Path("stripe-push")
    @RolesAllowed(Roles.OPERATOR)
    @Produces(MediaType.APPLICATION_JSON)
    public StripePush pushToStripe(@RestPath UUID id) {
        PushOutcome outcome = desk.pushToStripe(id);
        return new StripePush(outcome.invoiceId(), outcome.result().name(),
                outcome.error() == null ? null : outcome.error().name(), outcome.message());
    }

    /** The invoice if it bills a client the caller may see; otherwise 404, as for an invoice that does not exist. */
    private InvoiceView find(UUID id) {
        return records.invoice(id).orElseThrow(() -> AdminException.notFound("invoice", id));
    }

    /**
     * An invoice as JSON. Amounts are decimal strings with the currency's decimals; unit prices are as rated,
     * never rounded.
     *
     * @param number the invoice number; null while a draft
     * @param status {@code DRAFT}, {@code FINALIZED}, {@code SENT}, {@code PAID}, {@code PAYMENT_FAILED},
     *     {@code REFUNDED} or {@code VOID}
     * @param issueDate the day the invoice was finalized, in the client's time zone; null while a draft
     * @param dueDate the issue date plus the payment terms; null while a draft
     * @param creditApplied prepaid credit used for the invoice (a preview while a draft)
     * @param amountDue total less credit applied
     * @param creditNotes the credit notes issued against the invoice, oldest first
     * @param voidReason why the invoice was voided; null unless void
     */
    public record InvoiceJson(UUID id, String number, String status, Issuer issuer, BillTo billTo, Period period,
            LocalDate issueDate, LocalDate dueDate, String currency, List<Line> lines, String subtotal,
            String taxTotal, String total, String creditApplied, String amountDue, List<CreditNoteRef> creditNotes,
            String voidReason) {

        public static InvoiceJson of(InvoiceView v) {
            return new InvoiceJson(v.id(), v.number(), v.status().name(),
                    new Issuer(v.issuer().name(), v.issuer().addressLines(), v.issuer().taxId()),
                    new BillTo(v.billTo().clientId(), v.billTo().slug(), v.billTo().name()),
                    new Period(v.period().start(), v.period().lastDay(), v.period().timeZone()),
                    v.issueDate(), v.dueDate(), v.currency(), v.lines().stream().map(Line::of).toList(),
                    v.subtotal().text(), v.taxTotal().text(), v.total().text(), v.creditApplied().text(),
                    v.amountDue().text(), v.creditNotes().stream().map(CreditNoteRef::of).toList(), v.voidReason());
        }
    }

    /** A credit note issued against an invoice, as the invoice lists it. */
    public record CreditNoteRef(UUID id, String number, LocalDate issueDate, String total) {

        static CreditNoteRef of(InvoiceView.CreditNoteRef ref) {
            return new CreditNoteRef(ref.id(), ref.number(), ref.issueDate(), ref.total().text());
        }
    }

    /** Body of {@code POST /admin/v1/invoices/{id}/void}. */
    public record VoidRequest(@NotBlank @Size(max = 500) String reason) {
    }

    /**
     * Body of {@code POST /admin/v1/invoices/{id}/credit-notes}.
     *
     * @param reason why, printed on the credit note
     * @param lines what to credit; absent or empty to credit everything that is left of the invoice
     */
    public record CreditRequest(@NotBlank @Size(max = 500) String reason,
            @Size(max = 100) List<@Valid @NotNull CreditLine> lines) {
    }

    /**
     * One line of a partial credit note.
     *
     * @param amount before tax, in the invoice's currency with at most its decimals, for example {@code "5.00"}
     */
    public record CreditLine(@NotBlank @Size(max = 200) String description,
            @NotNull @Pattern(regexp = AdminApi.DECIMAL, message = AdminApi.DECIMAL_MESSAGE) String amount) {
    }

    /**
     * A credit note as the admin API shows it; amounts are decimal strings with the currency's decimals.
     *
     * @param total subtotal plus the matching part of the invoice's tax; added to the client's credit balance
     */
    public record CreditNoteJson(UUID id, String number, UUID invoiceId, String invoiceNumber, LocalDate issueDate,
            String currency, String reason, List<CreditNoteLine> lines, String subtotal, String taxTotal,
            String total) {

        static CreditNoteJson of(CreditNoteView n) {
            return new CreditNoteJson(n.id(), n.number(), n.invoiceId(), n.invoiceNumber(), n.issueDate(),
                    n.currency(), n.reason(), n.lines().stream()
                            .map(l -> new CreditNoteLine(l.lineNo(), l.description(), l.amount().text())).toList(),
                    n.subtotal().text(), n.taxTotal().text(), n.total().text());
        }
    }

    /** One credited line. */
    public record CreditNoteLine(int lineNo, String description, String amount) {
    }

    /**
     * What pushing an invoice to Stripe did.
     *
     * @param result {@code PUSHED}, {@code ALREADY_DONE}, {@code NOTHING_TO_COLLECT}, {@code NOT_PUSHABLE},
     *     {@code RETRY_LATER} or {@code FAILED}
     * @param error why it did not complete; null unless {@code RETRY_LATER} or {@code FAILED}
     * @param message what happened, for people
     */
    public record StripePush(UUID invoiceId, String result, String error, String message) {
    }

    /** The operator that issues the invoice. */
    public record Issuer(String name, List<String> addressLines, String taxId) {
    }

    /** The client billed. */
    public record BillTo(UUID clientId, String slug, String name) {
    }

    /**
     * The invoiced days, both inclusive, in {@code timeZone}.
     *
     * @param start the first day
     * @param end the last day
     */
    public record Period(LocalDate start, LocalDate end, String timeZone) {
    }

    /**
     * One invoice line: usage of a model in one unit (a token kind, requests or audio seconds), late usage, a
     * re-rating difference or the minimum-commitment true-up.
     *
     * @param type {@code usage}, {@code late_usage}, {@code rerating} or {@code minimum_commitment}
     * @param description what the line bills, as the PDF prints it
     * @param model the model's name; null on a true-up
     * @param unit {@code input}, {@code cached_input}, {@code cache_write}, {@code output}, {@code request} or
     *     {@code audio_second}; null on a true-up
     * @param quantity tokens, requests or seconds billed; null on a true-up
     * @param unitPrice the unit price as rated, never rounded, for example {@code "2.50"}; null on a true-up
     * @param pricedPer what one unit price buys: {@code "1M tokens"}, {@code "request"}, {@code "second"}
     * @param amount the line's amount, rounded once to the currency's minor unit, for example {@code "0.03"}
     */
    public record Line(int lineNo, String type, String description, String model, String unit, Long quantity,
            String unitPrice, String pricedPer, String amount) {

        static Line of(InvoiceView.Line line) {
            return new Line(line.lineNo(), line.type().name().toLowerCase(Locale.ROOT), line.description(),
                    line.model(), line.unit() == null ? null : line.unit().code(), line.quantity(),
                    line.unit() == null ? null : line.unitPriceText(),
                    line.unit() == null ? null : line.pricedPer(), line.amount().text());
        }
    }
}

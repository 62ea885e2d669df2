package io.tollbooth.portal.admin;

import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.pdf.InvoicePdfRenderer;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for invoices, read from billing's {@link InvoiceView}: the JSON and the PDF show the same numbers
 * because both are built from it.
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

    /** The invoice if it bills a client the caller may see; otherwise 404, as for an invoice that does not exist. */
    private InvoiceView find(UUID id) {
        return records.invoice(id).orElseThrow(() -> AdminException.notFound("invoice", id));
    }

    /**
     * An invoice as JSON. Amounts are decimal strings with the currency's decimals; unit prices are as rated,
     * never rounded.
     *
     * @param number the invoice number; null while a draft
     * @param status {@code DRAFT} or {@code FINALIZED}
     * @param issueDate the day the invoice was finalized, in the client's time zone; null while a draft
     */
    public record InvoiceJson(UUID id, String number, String status, Issuer issuer, BillTo billTo, Period period,
            LocalDate issueDate, String currency, List<Line> lines, String subtotal, String total) {

        static InvoiceJson of(InvoiceView v) {
            return new InvoiceJson(v.id(), v.number(), v.status().name(),
                    new Issuer(v.issuer().name(), v.issuer().addressLines(), v.issuer().taxId()),
                    new BillTo(v.billTo().clientId(), v.billTo().slug(), v.billTo().name()),
                    new Period(v.period().start(), v.period().lastDay(), v.period().timeZone()),
                    v.issueDate(), v.currency(), v.lines().stream().map(Line::of).toList(), v.subtotal().text(),
                    v.total().text());
        }
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
     * One invoice line: a model, a token kind and a unit price.
     *
     * @param tokenKind {@code input}, {@code cached_input}, {@code cache_write} or {@code output}
     * @param quantity tokens billed
     * @param pricePerMillion unit price per 1,000,000 tokens, for example {@code "2.50"}
     * @param amount the line's amount, rounded once to the currency's minor unit, for example {@code "0.03"}
     */
    public record Line(int lineNo, String model, String tokenKind, long quantity, String pricePerMillion,
            String amount) {

        static Line of(InvoiceView.Line line) {
            return new Line(line.lineNo(), line.model(), line.kind().code(), line.quantity(),
                    line.pricePerMillionText(), line.amount().text());
        }
    }
}

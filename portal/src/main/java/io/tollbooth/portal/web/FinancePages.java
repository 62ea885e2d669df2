package io.tollbooth.portal.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tollbooth.billing.invoice.InvoiceStatus;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.reconciliation.ReconciliationReport;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.admin.ExportResource;
import io.tollbooth.portal.finance.FinanceExport;
import io.tollbooth.portal.finance.FinanceExports;
import io.tollbooth.portal.finance.Reconciliations;
import io.tollbooth.portal.invoicing.InvoiceDesk;
import io.tollbooth.portal.tenant.Client;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Finance's pages, for finance and operators: the invoice register of a month, the reconciliation report, and the
 * CSV exports over a range of months for every client or one. They only read; the downloads are the admin API's
 * exports, built by the same code.
 */
@Path("/portal/finance")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
@Produces(MediaType.TEXT_HTML)
public class FinancePages {

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance register(StaffFrame frame, OperatorChoice choice, List<RegisterRow> invoices,
                List<CurrencyTotal> totals);

        static native TemplateInstance reconciliation(StaffFrame frame, OperatorChoice choice,
                List<ReconciliationRow> invoices);

        static native TemplateInstance exports(StaffFrame frame, OperatorChoice choice, ExportInput input,
                String error, List<Option> clients, List<Option> kinds);
    }

    @Inject
    InvoiceDesk desk;

    @Inject
    Reconciliations reconciliations;

    @Inject
    FinanceExports exports;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    @Context
    HttpHeaders headers;

    @GET
    public RestResponse<Void> home(@Context UriInfo request) {
        return Redirects.keepingQuery("/portal/finance/register", request);
    }

    /** The invoices of the chosen month with every amount, and the issued totals per currency. */
    @GET
    @Path("register")
    @Transactional
    public TemplateInstance register(@RestQuery String operator, @RestQuery String month) {
        OperatorChoice choice = OperatorChoice.of(operator, month, clock);
        List<InvoiceView> invoices = choice.chosen() ? desk.invoicesOf(choice.operatorId(), choice.month())
                : List.of();
        Map<String, BigDecimal[]> sums = new TreeMap<>();
        for (InvoiceView invoice : invoices) {
            if (invoice.status().issued()) {
                BigDecimal[] sum = sums.computeIfAbsent(invoice.currency(),
                        c -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                sum[0] = sum[0].add(invoice.total().value());
                sum[1] = sum[1].add(invoice.amountDue().value());
                sum[2] = sum[2].add(BigDecimal.ONE);
            }
        }
        List<CurrencyTotal> totals = sums.entrySet().stream().map(entry -> {
            ViewerFormat format = format(entry.getKey(), ZoneOffset.UTC);
            return new CurrencyTotal(entry.getKey(), format.count(entry.getValue()[2].longValue()),
                    format.money(entry.getValue()[0]), format.money(entry.getValue()[1]));
        }).toList();
        return Templates.register(frame("register"), choice, invoices.stream().map(this::registerRow).toList(),
                totals);
    }

    /** Each invoice of the chosen month traced from usage to Stripe, with every difference. */
    @GET
    @Path("reconciliation")
    @Transactional
    public TemplateInstance reconciliation(@RestQuery String operator, @RestQuery String month) {
        OperatorChoice choice = OperatorChoice.of(operator, month, clock);
        List<ReconciliationRow> rows = !choice.chosen() ? List.of()
                : reconciliations.of(choice.operatorId(), choice.month()).stream().map(this::reconciliationRow)
                        .toList();
        return Templates.reconciliation(frame("reconciliation"), choice, rows);
    }

    /** The reconciliation report of the chosen month as CSV. */
    @GET
    @Path("reconciliation.csv")
    @Produces(ExportResource.TEXT_CSV)
    public RestResponse<StreamingOutput> reconciliationCsv(@RestQuery String operator, @RestQuery String month) {
        OperatorChoice choice = requireOperator(operator, month);
        List<Reconciliations.Row> rows = reconciliations.of(choice.operatorId(), choice.month());
        StreamingOutput csv = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            reconciliations.writeCsv(rows, writer);
        };
        return RestResponse.ResponseBuilder.ok(csv, ExportResource.TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"reconciliation-" + choice.month() + ".csv\"")
                .build();
    }

    /** The form that chooses an export, its months and its client. */
    @GET
    @Path("exports")
    @Transactional
    public TemplateInstance exportForm(@RestQuery String operator, @RestQuery String month) {
        OperatorChoice choice = OperatorChoice.of(operator, month, clock);
        return exportPage(choice, ExportInput.of(choice), null);
    }

    private TemplateInstance exportPage(OperatorChoice choice, ExportInput input, String error) {
        List<Option> clients = !choice.chosen() ? List.of() : Client.listByOperator(choice.operatorId()).stream()
                .map(client -> new Option(client.id.toString(), client.name + " (" + client.slug + ")"))
                .toList();
        List<Option> kinds = Arrays.stream(FinanceExport.values())
                .map(kind -> new Option(kind.slug(), kind.title()))
                .toList();
        return Templates.exports(frame("exports"), choice, input, error, clients, kinds);
    }

    /** The chosen export as a streamed CSV download. */
    @GET
    @Path("exports/download")
    @Produces(ExportResource.TEXT_CSV)
    public RestResponse<StreamingOutput> download(@RestQuery String operator, @RestQuery String kind,
            @RestQuery String from, @RestQuery String to, @RestQuery String client) {
        ExportInput input = new ExportInput(nonNull(kind), nonNull(from), nonNull(to), nonNull(client));
        FinanceExport export;
        FinanceExports.Range range;
        try {
            export = FinanceExport.ofSlug(input.kind())
                    .orElseThrow(() -> AdminException.invalid("kind must be one of invoices, invoice-lines, "
                            + "usage-summary, usage"));
            UUID operatorId = OperatorChoice.parseId(nonNull(operator));
            UUID clientId = input.client().isBlank() ? null : OperatorChoice.parseId(input.client());
            range = exports.range(operatorId, OperatorChoice.parseMonth(input.from()),
                    OperatorChoice.parseMonth(input.to()), clientId);
        } catch (AdminException refusal) {
            if (refusal.error() == AdminError.NOT_FOUND) {
                throw refusal;
            }
            // The form is shown again, as chosen, with the reason.
            OperatorChoice choice = OperatorChoice.of(validOrNull(operator), null, clock);
            return RefusedDownload.page(exportPage(choice, input, "No export: " + refusal.detail() + "."));
        }
        return ExportResource.stream(exports, export, range);
    }

    private static String validOrNull(String operator) {
        try {
            return operator == null ? null : UUID.fromString(operator.strip()).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private OperatorChoice requireOperator(String operator, String month) {
        OperatorChoice choice = OperatorChoice.of(operator, month, clock);
        if (!choice.chosen()) {
            throw AdminException.invalid("choose an operator");
        }
        return choice;
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }

    private StaffFrame frame(String active) {
        return StaffFrame.of(caller, locale(), active);
    }

    private Locale locale() {
        return ViewerFormat.viewerLocale(headers.getAcceptableLanguages());
    }

    private ViewerFormat format(String currency, ZoneId zone) {
        return new ViewerFormat(locale(), Currency.getInstance(currency), zone);
    }

    private RegisterRow registerRow(InvoiceView invoice) {
        ViewerFormat format = format(invoice.currency(), ZoneId.of(invoice.period().timeZone()));
        return new RegisterRow(invoice.displayNumber(), invoice.billTo().name(),
                format.date(invoice.period().start()) + " – " + format.date(invoice.period().lastDay()),
                invoice.status().name().toLowerCase(Locale.ROOT).replace('_', ' '), format.date(invoice.issueDate()),
                format.date(invoice.dueDate()), invoice.currency(), format.money(invoice.subtotal().value()),
                format.money(invoice.taxTotal().value()), format.money(invoice.total().value()),
                format.money(invoice.creditApplied().value()), format.money(invoice.amountDue().value()),
                invoice.status() == InvoiceStatus.VOID);
    }

    private ReconciliationRow reconciliationRow(Reconciliations.Row row) {
        ReconciliationReport r = row.report();
        ViewerFormat format = format(r.currency(), ZoneOffset.UTC);
        return new ReconciliationRow(r.number() == null ? "DRAFT" : r.number(), row.clientName(),
                format.count(r.ratedEvents()), r.ratedAmount().toPlainString() + " " + r.currency(),
                format.money(r.linesAmount()), format.money(r.amountDue()),
                r.stripeAmount() == null ? "not sent" : format.money(r.stripeAmount()), r.balanced(),
                r.differences().stream().map(Reconciliations::describe).toList());
    }

    /** An invoice in the register, every amount formatted for the viewer in the invoice's currency. */
    public record RegisterRow(String number, String client, String period, String status, String issued,
            String due, String currency, String subtotal, String tax, String total, String creditApplied,
            String amountDue, boolean voided) {
    }

    /** The issued invoices of one currency added up; void invoices and drafts are left out. */
    public record CurrencyTotal(String currency, String invoices, String total, String amountDue) {
    }

    /**
     * An invoice reconciled.
     *
     * @param ratedAmount the rated usage at full precision with its currency code, never rounded
     * @param differences each difference for people; empty when balanced
     */
    public record ReconciliationRow(String number, String client, String ratedEvents, String ratedAmount,
            String linesAmount, String amountDue, String stripeAmount, boolean balanced, List<String> differences) {
    }

    /** A choice in a select: its value and its label. */
    public record Option(String value, String label) {
    }

    /** What the export form holds: as chosen when the download was refused, the chosen month otherwise. */
    public record ExportInput(String kind, String from, String to, String client) {

        static ExportInput of(OperatorChoice choice) {
            return new ExportInput("", choice.month().toString(), choice.month().toString(), "");
        }
    }
}

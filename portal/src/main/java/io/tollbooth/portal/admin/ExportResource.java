package io.tollbooth.portal.admin;

import io.tollbooth.billing.export.InvoiceCsvExporter;
import io.tollbooth.billing.export.UsageCsvExporter;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.finance.FinanceExport;
import io.tollbooth.portal.finance.FinanceExports;
import io.tollbooth.portal.finance.Reconciliations;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin API for finance exports, streamed as they are written. Each takes an operator and a range of months
 * ({@code from} and {@code to}, both included, or {@code period} for one month), each client's month in its own
 * time zone, and optionally one client of the operator ({@code clientId}).
 */
@Path(AdminApi.V1 + "/exports")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
public class ExportResource {

    /** CSV, always UTF-8. */
    public static final String TEXT_CSV = "text/csv; charset=UTF-8";

    private static final Logger LOG = Logger.getLogger(ExportResource.class);

    @Inject
    FinanceExports exports;

    @Inject
    Reconciliations reconciliations;

    /**
     * The rated usage, one row per event and token kind at full precision; see {@link UsageCsvExporter#HEADER}.
     * Clients by slug within each month.
     */
    @GET
    @Path("usage.csv")
    @Produces(TEXT_CSV)
    public RestResponse<StreamingOutput> usage(@RestQuery @NotNull @Pattern(regexp = AdminApi.UUID_TEXT,
            message = AdminApi.UUID_MESSAGE) String operatorId, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String period, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String from, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String to, @RestQuery @Pattern(regexp = AdminApi.UUID_TEXT,
            message = AdminApi.UUID_MESSAGE) String clientId) {
        return export(FinanceExport.USAGE, operatorId, period, from, to, clientId);
    }

    /** The rated usage per client, day (in the client's zone), model and token kind; see the daily header. */
    @GET
    @Path("usage-summary.csv")
    @Produces(TEXT_CSV)
    public RestResponse<StreamingOutput> usageSummary(@RestQuery @NotNull @Pattern(regexp = AdminApi.UUID_TEXT,
            message = AdminApi.UUID_MESSAGE) String operatorId, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String period, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String from, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String to, @RestQuery @Pattern(regexp = AdminApi.UUID_TEXT,
            message = AdminApi.UUID_MESSAGE) String clientId) {
        return export(FinanceExport.USAGE_SUMMARY, operatorId, period, from, to, clientId);
    }

    /** The invoice register, one row per invoice; see {@link InvoiceCsvExporter#HEADER}. */
    @GET
    @Path("invoices.csv")
    @Produces(TEXT_CSV)
    public RestResponse<StreamingOutput> invoices(@RestQuery @NotNull @Pattern(regexp = AdminApi.UUID_TEXT,
            message = AdminApi.UUID_MESSAGE) String operatorId, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String period, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String from, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String to, @RestQuery @Pattern(regexp = AdminApi.UUID_TEXT,
            message = AdminApi.UUID_MESSAGE) String clientId) {
        return export(FinanceExport.INVOICES, operatorId, period, from, to, clientId);
    }

    /** The invoices' lines, one row per line; see {@link InvoiceCsvExporter#LINE_HEADER}. */
    @GET
    @Path("invoice-lines.csv")
    @Produces(TEXT_CSV)
    public RestResponse<StreamingOutput> invoiceLines(@RestQuery @NotNull @Pattern(regexp = AdminApi.UUID_TEXT,
            message = AdminApi.UUID_MESSAGE) String operatorId, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String period, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String from, @RestQuery @Pattern(regexp = AdminApi.PERIOD,
            message = AdminApi.PERIOD_MESSAGE) String to, @RestQuery @Pattern(regexp = AdminApi.UUID_TEXT,
            message = AdminApi.UUID_MESSAGE) String clientId) {
        return export(FinanceExport.INVOICE_LINES, operatorId, period, from, to, clientId);
    }

    /** The month's reconciliation, one row per invoice; see {@link Reconciliations#HEADER}. */
    @GET
    @Path("reconciliation.csv")
    @Produces(TEXT_CSV)
    public RestResponse<StreamingOutput> reconciliation(@RestQuery @NotNull @Pattern(regexp = AdminApi.UUID_TEXT,
            message = AdminApi.UUID_MESSAGE) String operatorId, @RestQuery @NotNull @Pattern(
            regexp = AdminApi.PERIOD, message = AdminApi.PERIOD_MESSAGE) String period) {
        List<Reconciliations.Row> rows = reconciliations.of(UUID.fromString(operatorId), YearMonth.parse(period));
        StreamingOutput csv = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            reconciliations.writeCsv(rows, writer);
        };
        return RestResponse.ResponseBuilder.ok(csv, TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"reconciliation-" + period + ".csv\"")
                .build();
    }

    private RestResponse<StreamingOutput> export(FinanceExport kind, String operatorId, String period, String from,
            String to, String clientId) {
        if (period == null && (from == null || to == null)) {
            throw AdminException.invalid("give either period, or from and to");
        }
        // Checked before streaming starts: once the first bytes are sent, the status can no longer become a 404.
        FinanceExports.Range range = exports.range(UUID.fromString(operatorId),
                YearMonth.parse(from != null ? from : period), YearMonth.parse(to != null ? to : period),
                clientId == null ? null : UUID.fromString(clientId));
        return stream(exports, kind, range);
    }

    /** The export as a streamed CSV download; the pages offer the same files. */
    public static RestResponse<StreamingOutput> stream(FinanceExports exports, FinanceExport kind,
            FinanceExports.Range range) {
        StreamingOutput csv = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            long rows = exports.write(kind, range, writer);
            LOG.infof("export_written export=%s operator=%s from=%s to=%s client=%s rows=%d", kind.slug(),
                    range.operator().slug, range.from(), range.to(),
                    range.client().map(client -> client.slug).orElse("all"), rows);
        };
        return RestResponse.ResponseBuilder.ok(csv, TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + range.fileName(kind) + "\"")
                .build();
    }
}

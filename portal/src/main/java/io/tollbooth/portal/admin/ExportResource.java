package io.tollbooth.portal.admin;

import io.tollbooth.billing.export.UsageCsvExporter;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.tenant.Operator;
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
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API for finance exports, streamed as they are read so that a large month never sits in memory. */
@Path(AdminApi.V1 + "/exports")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
public class ExportResource {

    /** CSV, always UTF-8. */
    public static final String TEXT_CSV = "text/csv; charset=UTF-8";

    private static final Logger LOG = Logger.getLogger(ExportResource.class);

    @Inject
    UsageCsvExporter exporter;

    /**
     * The rated usage of every client of an operator in {@code period} (each client's month in its own time
     * zone), one row per event and token kind at full precision; see {@link UsageCsvExporter#HEADER}.
     */
    @GET
    @Path("usage.csv")
    @Produces(TEXT_CSV)
    public RestResponse<StreamingOutput> usage(
            @RestQuery @NotNull @Pattern(regexp = AdminApi.UUID_TEXT, message = AdminApi.UUID_MESSAGE)
            String operatorId,
            @RestQuery @NotNull @Pattern(regexp = AdminApi.PERIOD, message = AdminApi.PERIOD_MESSAGE) String period) {
        // Checked before streaming starts: once the first bytes are sent, the status can no longer become a 404.
        UUID id = UUID.fromString(operatorId);
        Operator operator = Operator.<Operator>findByIdOptional(id)
                .orElseThrow(() -> AdminException.notFound("operator", id));
        YearMonth month = YearMonth.parse(period);
        StreamingOutput csv = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            long rows = exporter.writeOperatorMonth(operator.id, month, writer);
            writer.flush();
            LOG.infof("usage_exported operator=%s period=%s rows=%d", operator.slug, month, rows);
        };
        return RestResponse.ResponseBuilder.ok(csv, TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"usage-" + operator.slug + "-" + month + ".csv\"")
                .build();
    }
}

package io.tollbooth.portal.clientapi;

import io.tollbooth.billing.export.UsageCsvExporter;
import io.tollbooth.portal.access.ClientScope;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.admin.DailyActivityResource;
import io.tollbooth.portal.admin.DailyActivityView;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.usage.DailyActivityReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The client API: a client's people read their own client's usage. The client is the one the caller's token names,
 * never a parameter; a caller whose token names no client is refused.
 */
@Path(ClientUsageResource.V1)
@RolesAllowed({Roles.CLIENT_ADMIN, Roles.CLIENT_VIEWER})
public class ClientUsageResource {

    /** Base path of version 1 of the client API. */
    public static final String V1 = "/api/v1";

    private static final String PERIOD = "\\d{4}-(0[1-9]|1[0-2])";
    private static final String PERIOD_MESSAGE = "must be a month such as 2026-12";
    private static final String TEXT_CSV = "text/csv; charset=UTF-8";

    private static final Logger LOG = Logger.getLogger(ClientUsageResource.class);

    @Inject
    ScopedRecords records;

    @Inject
    DailyActivityReport report;

    @Inject
    UsageCsvExporter exporter;

    @Inject
    Clock clock;

    /**
     * The caller's client's activity per day, by model and by API key: the admin API's
     * {@code /clients/{clientId}/daily-activity} with the client taken from the token. Same parameters and defaults.
     */
    @GET
    @Path("daily-activity")
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    public DailyActivityView dailyActivity(
            @RestQuery @Pattern(regexp = DailyActivityResource.DATE, message = DailyActivityResource.DATE_MESSAGE)
            String from,
            @RestQuery @Pattern(regexp = DailyActivityResource.DATE, message = DailyActivityResource.DATE_MESSAGE)
            String to,
            @RestQuery String tz) {
        return DailyActivityResource.read(report, clock, ownClient(), from, to, tz);
    }

    /**
     * The caller's client's rated usage in {@code period}, a month of the client's zone, as CSV: the same rows and
     * columns as the finance export, only the caller's client's.
     */
    @GET
    @Path("usage.csv")
    @Produces(TEXT_CSV)
    public RestResponse<StreamingOutput> usageCsv(
            @RestQuery @NotNull @Pattern(regexp = PERIOD, message = PERIOD_MESSAGE) String period) {
        Client client = ownClient();
        YearMonth month = YearMonth.parse(period);
        UUID clientId = client.id;
        StreamingOutput csv = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            long rows = exporter.writeClientMonth(clientId, month, writer);
            writer.flush();
            LOG.infof("usage_exported client=%s period=%s rows=%d", clientId, month, rows);
        };
        return RestResponse.ResponseBuilder.ok(csv, TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"usage-" + client.slug + "-" + month + ".csv\"")
                .build();
    }

    /** The client the caller's token names; 403 when it names none, 404 when that client does not exist. */
    private Client ownClient() {
        ClientScope scope = records.scope();
        UUID clientId = scope.client().orElseThrow(() -> new AdminException(AdminError.FORBIDDEN,
                "your account belongs to no client"));
        return records.client(clientId).orElseThrow(() -> AdminException.notFound("client", clientId));
    }
}

package io.tollbooth.portal.clientapi;

import io.tollbooth.billing.export.UsageCsvExporter;
import io.tollbooth.billing.money.CurrencyRounding;
import io.tollbooth.portal.access.ClientScope;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.usage.DailyUsage;
import io.tollbooth.portal.usage.UsageReport;
import io.tollbooth.usage.event.TokenCounts;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
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

    /** The longest range one daily query covers. */
    static final int MAX_DAYS = 366;

    private static final String DATE = "\\d{4}-\\d{2}-\\d{2}";
    private static final String DATE_MESSAGE = "must be a date such as 2026-12-31";
    private static final String PERIOD = "\\d{4}-(0[1-9]|1[0-2])";
    private static final String PERIOD_MESSAGE = "must be a month such as 2026-12";
    private static final String TEXT_CSV = "text/csv; charset=UTF-8";

    private static final Logger LOG = Logger.getLogger(ClientUsageResource.class);

    @Inject
    ScopedRecords records;

    @Inject
    UsageReport report;

    @Inject
    UsageCsvExporter exporter;

    @Inject
    Clock clock;

    /**
     * The caller's client's usage per day from {@code from} to {@code to} (both inclusive, at most 366 days), each
     * day bounded by midnights in {@code tz}. Defaults: {@code tz} the client's zone, {@code to} today in that zone,
     * {@code from} the first day of {@code to}'s month.
     */
    @GET
    @Path("usage")
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    public DailyUsageView usage(
            @RestQuery @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @RestQuery @Pattern(regexp = DATE, message = DATE_MESSAGE) String to,
            @RestQuery String tz) {
        Client client = ownClient();
        ZoneId zone = tz == null ? client.zoneId() : zone(tz);
        LocalDate last = to == null ? LocalDate.now(clock.withZone(zone)) : date("to", to);
        LocalDate first = from == null ? last.withDayOfMonth(1) : date("from", from);
        if (first.isAfter(last)) {
            throw AdminException.invalid("from: must not be after to");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw AdminException.invalid("from: the range must not span more than " + MAX_DAYS + " days");
        }
        return DailyUsageView.of(report.daily(client, first, last, zone));
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

    private static ZoneId zone(String tz) {
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw AdminException.invalid("tz: must be an IANA time zone such as Europe/Berlin");
        }
    }

    private static LocalDate date(String name, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw AdminException.invalid(name + ": " + DATE_MESSAGE);
        }
    }

    /**
     * A client's usage per day.
     *
     * @param timeZone the zone whose midnights bound the days
     * @param from first day (inclusive)
     * @param to last day (inclusive)
     * @param days every day of the range, in order, idle days included
     * @param total the sums over the range
     */
    public record DailyUsageView(UUID clientId, String timeZone, LocalDate from, LocalDate to, String currency,
            List<DayView> days, DayView total) {

        static DailyUsageView of(DailyUsage usage) {
            Currency currency = Currency.getInstance(usage.currency());
            return new DailyUsageView(usage.clientId(), usage.zone().getId(), usage.from(), usage.to(),
                    usage.currency(), usage.days().stream().map(day -> DayView.of(day, currency)).toList(),
                    DayView.of(usage.total(), currency));
        }
    }

    /**
     * What was used on one day, or in the whole range for the total (whose {@code date} is absent).
     *
     * @param tokens tokens of the events not rejected, by kind, as in the usage event
     * @param ratedAmount the charge at full precision, as a decimal string
     * @param spend the charge rounded once to the currency's minor unit, for display, for example {@code "3.00"}
     */
    public record DayView(LocalDate date, long requests, TokenCounts tokens, String ratedAmount, String spend) {

        static DayView of(DailyUsage.Day day, Currency currency) {
            BigDecimal spend = CurrencyRounding.toMinorUnit(day.ratedAmount(), currency);
            return new DayView(day.date(), day.requests(), day.tokens(), day.ratedAmount().toPlainString(),
                    spend.toPlainString());
        }
    }
}

package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.usage.DailyActivityReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin API for a client's daily activity: spend, tokens and requests per day by model and by API key, the days
 * counted in a time zone of the caller's choice. A client's people read their own client's here or, without naming
 * it, through the client API.
 */
@Path(AdminApi.V1 + "/clients/{clientId}/daily-activity")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE, Roles.CLIENT_ADMIN, Roles.CLIENT_VIEWER})
@Produces(MediaType.APPLICATION_JSON)
public class DailyActivityResource {

    /** The longest range one query covers, in days. */
    public static final int MAX_DAYS = 366;

    /** A calendar date, for example {@code 2026-12-31}. */
    public static final String DATE = "\\d{4}-\\d{2}-\\d{2}";

    /** What a caller is told about a malformed date. */
    public static final String DATE_MESSAGE = "must be a date such as 2026-12-31";

    @Inject
    DailyActivityReport report;

    @Inject
    ScopedRecords records;

    @Inject
    Clock clock;

    /**
     * The client's activity per day from {@code from} to {@code to} (both inclusive, at most 366 days), each day
     * bounded by midnights in {@code tz}. Defaults: {@code tz} the client's zone, {@code to} today in that zone,
     * {@code from} the first day of {@code to}'s month. 404 for a client the caller may not see.
     */
    @GET
    @Transactional
    public DailyActivityView get(@RestPath UUID clientId,
            @RestQuery @Pattern(regexp = DATE, message = DATE_MESSAGE) String from,
            @RestQuery @Pattern(regexp = DATE, message = DATE_MESSAGE) String to,
            @RestQuery String tz) {
        return read(report, clock, ClientResource.visible(records, clientId), from, to, tz);
    }

    /**
     * Reads the activity of a client the caller may see, with the defaults and limits of {@link #get}; a range
     * that is reversed, too long or in an unknown zone is an invalid request.
     */
    public static DailyActivityView read(DailyActivityReport report, Clock clock, Client client, String from,
            String to, String tz) {
        ZoneId zone = tz == null ? client.zoneId() : zone(tz);
        LocalDate last = to == null ? LocalDate.now(clock.withZone(zone)) : date("to", to);
        LocalDate first = from == null ? last.withDayOfMonth(1) : date("from", from);
        if (first.isAfter(last)) {
            throw AdminException.invalid("from: must not be after to");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw AdminException.invalid("from: the range must not span more than " + MAX_DAYS + " days");
        }
        return DailyActivityView.of(report.read(client, first, last, zone));
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
}

package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.usage.UsageReport;
import io.tollbooth.portal.usage.UsageSummary;
import io.tollbooth.usage.event.TokenCounts;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Admin API for what a client used in a month, as metering recorded it (before invoicing). */
@Path(AdminApi.V1 + "/clients/{clientId}/usage")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE, Roles.CLIENT_ADMIN, Roles.CLIENT_VIEWER})
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    @Inject
    UsageReport report;

    @Inject
    ScopedRecords records;

    /** Usage in {@code period} (for example {@code 2026-12}), a month counted in the client's time zone. */
    @GET
    @Transactional
    public UsageView get(@RestPath UUID clientId,
            @RestQuery @NotNull @Pattern(regexp = AdminApi.PERIOD, message = AdminApi.PERIOD_MESSAGE) String period) {
        UsageSummary usage = report.forMonth(ClientResource.visible(records, clientId),
                YearMonth.parse(period));
        return UsageView.of(usage);
    }

    /**
     * A client's usage in one month.
     *
     * @param events usage events by rating status: {@code RATED}, {@code UNPRICED}, {@code REJECTED}
     * @param tokens tokens of the events not rejected, by kind: {@code input}, {@code cachedInput},
     *     {@code cacheWrite}, {@code output} and {@code reasoning} (informational, a part of output), as in the
     *     usage event
     * @param ratedAmount sum of rated usage at full precision, as a decimal string, before invoice rounding
     */
    public record UsageView(UUID clientId, String period, String timeZone, Instant from, Instant to, long requests,
            Map<String, Long> events, TokenCounts tokens, String ratedAmount, String currency) {

        static UsageView of(UsageSummary u) {
            return new UsageView(u.clientId(), u.period().toString(), u.timeZone().getId(), u.from(), u.to(),
                    u.requests(), u.eventsByStatus(), u.tokens(), AdminApi.decimal(u.ratedAmount()), u.currency());
        }
    }
}

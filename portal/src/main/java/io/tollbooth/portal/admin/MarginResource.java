package io.tollbooth.portal.admin;

import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.pricing.PriceBookDesk;
import io.tollbooth.portal.tenant.Client;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin API for a client's margin per model: what the client was charged (revenue, in its currency) less what the
 * usage cost the operator (in the operator's currency), from the rated ledger. Only usage whose cost is known has a
 * margin; the rest is reported as uncosted revenue. A client who pays in another currency than the operator's costs
 * has no margin (there are no exchange rates): revenue and cost are still given.
 */
@Path(AdminApi.V1 + "/clients/{clientId}/margins")
@RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
@Produces(MediaType.APPLICATION_JSON)
public class MarginResource {

    @Inject
    PriceBookDesk desk;

    @Inject
    Clock clock;

    /**
     * The client's margins over whole local days of its time zone: {@code period} (a month), or {@code from} and
     * {@code to} (both included); without them, this month to today.
     */
    @GET
    public MarginsView get(@RestPath UUID clientId,
            @RestQuery @Pattern(regexp = AdminApi.PERIOD, message = AdminApi.PERIOD_MESSAGE) String period,
            @RestQuery @Pattern(regexp = DailyActivityResource.DATE, message = DailyActivityResource.DATE_MESSAGE)
            String from,
            @RestQuery @Pattern(regexp = DailyActivityResource.DATE, message = DailyActivityResource.DATE_MESSAGE)
            String to) {
        Client client = Client.<Client>findByIdOptional(clientId)
                .orElseThrow(() -> AdminException.notFound("client", clientId));
        LocalDate[] days = days(client, period, from, to, clock);
        return MarginsView.of(desk.margins(clientId, days[0], days[1]));
    }

    /** The first and last local day a margin query covers, checked; shared with the margins page. */
    public static LocalDate[] days(Client client, String period, String from, String to, Clock clock) {
        if (period != null && !period.isBlank()) {
            if (from != null || to != null) {
                throw AdminException.invalid("period: give either a period or from and to");
            }
            YearMonth month;
            try {
                month = YearMonth.parse(period.strip());
            } catch (DateTimeParseException e) {
                throw AdminException.invalid("period: " + AdminApi.PERIOD_MESSAGE);
            }
            return new LocalDate[] {month.atDay(1), month.atEndOfMonth()};
        }
        LocalDate last = to == null || to.isBlank() ? LocalDate.now(clock.withZone(client.zoneId())) : date("to", to);
        LocalDate first = from == null || from.isBlank() ? last.withDayOfMonth(1) : date("from", from);
        if (first.isAfter(last)) {
            throw AdminException.invalid("from: must not be after to");
        }
        if (ChronoUnit.DAYS.between(first, last) >= DailyActivityResource.MAX_DAYS) {
            throw AdminException.invalid("from: the range must not span more than " + DailyActivityResource.MAX_DAYS
                    + " days");
        }
        return new LocalDate[] {first, last};
    }

    private static LocalDate date(String field, String text) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw AdminException.invalid(field + ": " + DailyActivityResource.DATE_MESSAGE);
        }
    }

    /**
     * A client's margins over some days.
     *
     * @param currency the client's, in which revenue is
     * @param costCurrency the operator's, in which cost is
     * @param comparable whether the two are the same, so that margins exist
     */
    public record MarginsView(UUID clientId, String currency, String costCurrency, String timeZone, LocalDate from,
            LocalDate to, boolean comparable, List<MarginView> models, MarginView total) {

        static MarginsView of(PriceBookDesk.Margins margins) {
            int digits = Currency.getInstance(margins.currency()).getDefaultFractionDigits();
            return new MarginsView(margins.client().id, margins.currency(), margins.costCurrency(),
                    margins.client().timeZone, margins.from(), margins.to(), margins.comparable(),
                    margins.models().stream().map(m -> MarginView.of(m, digits)).toList(),
                    MarginView.of(margins.total(), digits));
        }
    }

    /**
     * One model's figures (the model is null in the total). Exact amounts keep full precision, written without
     * trailing zeros ({@code "2.5"}); {@code marginRounded}
     * is the margin rounded once to the client's currency (half up), for people.
     *
     * @param revenue what the client was charged
     * @param costedRevenue the part of it whose cost is known
     * @param cost what that part cost the operator
     * @param uncostedRevenue the part charged for usage without a cost price: its margin is unknown
     * @param margin {@code costedRevenue - cost}; null when the currencies differ
     * @param marginPercent the margin as a share of costed revenue, in percent to two places; null without one
     */
    public record MarginView(String model, long events, String revenue, String costedRevenue, String cost,
            String uncostedRevenue, String margin, String marginRounded, String marginPercent) {

        static MarginView of(PriceBookDesk.ModelMargin m, int digits) {
            BigDecimal margin = m.margin();
            String percent = margin == null || m.costedRevenue().signum() == 0 ? null
                    : margin.multiply(BigDecimal.valueOf(100)).divide(m.costedRevenue(), 2, RoundingMode.HALF_UP)
                            .toPlainString();
            return new MarginView(m.model(), m.events(), exact(m.revenue()), exact(m.costedRevenue()),
                    exact(m.cost()), exact(m.uncostedRevenue()), exact(margin),
                    margin == null ? null : margin.setScale(digits, RoundingMode.HALF_UP).toPlainString(), percent);
        }

        /** Sums of the ledger carry the widest scale of their rows; the value is shown without trailing zeros. */
        private static String exact(BigDecimal amount) {
            return amount == null ? null : AdminApi.decimal(amount.signum() == 0 ? BigDecimal.ZERO
                    : amount.stripTrailingZeros());
        }
    }
}

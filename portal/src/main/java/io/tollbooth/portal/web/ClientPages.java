package io.tollbooth.portal.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.money.CurrencyRounding;
import io.tollbooth.billing.pdf.InvoicePdfRenderer;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.apikey.ApiKey;
import io.tollbooth.portal.apikey.ApiKeyIssuer;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.usage.ClientDashboard;
import io.tollbooth.portal.usage.ClientDashboardReport;
import io.tollbooth.portal.usage.DailyActivity;
import io.tollbooth.portal.usage.DailyActivityReport;
import io.tollbooth.usage.event.TokenCounts;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The pages a client's people see after signing in through Keycloak: their client's dashboard, API keys and
 * invoices. The client is the one their token names; nothing on these pages takes a client from the request.
 */
@Path("/portal")
@RolesAllowed({Roles.CLIENT_ADMIN, Roles.CLIENT_VIEWER})
@Produces(MediaType.TEXT_HTML)
public class ClientPages {

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance dashboard(PageFrame frame, DashboardPage page);

        static native TemplateInstance keys(PageFrame frame, List<KeyRow> keys, boolean canCreate);

        static native TemplateInstance keyCreated(PageFrame frame, String name, String prefix, String key);

        static native TemplateInstance invoices(PageFrame frame, List<InvoiceRow> invoices);
    }

    @Inject
    ScopedRecords records;

    @Inject
    Caller caller;

    @Inject
    DailyActivityReport activity;

    @Inject
    ClientDashboardReport dashboards;

    @Inject
    InvoicePdfRenderer pdf;

    @Inject
    ApiKeyIssuer issuer;

    @Inject
    Clock clock;

    @Context
    HttpHeaders headers;

    /**
     * This month's spend, tokens and requests per day in the client's zone as tables; the budget and its forecast,
     * and how fast requests were answered. The charts draw {@link #dashboardData()}.
     */
    @GET
    @Transactional
    public TemplateInstance dashboard() {
        Client client = ownClient();
        ViewerFormat format = format(client);
        ZoneId zone = client.zoneId();
        LocalDate today = LocalDate.now(clock.withZone(zone));
        DailyActivity month = activity.read(client, today.withDayOfMonth(1), today, zone);
        Currency currency = Currency.getInstance(client.currency);

        List<DayRow> days = month.days().stream()
                .map(day -> DayRow.of(format.date(day.date()), day.activity().usage(), format, currency))
                .toList();
        List<BreakdownRow> models = month.total().byModel().stream()
                .map(model -> BreakdownRow.of(model.model(), model.usage(), format, currency))
                .toList();
        List<BreakdownRow> keys = month.total().byKey().stream()
                .map(key -> BreakdownRow.of(keyLabel(key), key.usage(), format, currency))
                .toList();
        String title = today.getMonth().getDisplayName(TextStyle.FULL_STANDALONE, format.locale()) + " "
                + today.getYear();
        ClientDashboard dashboard = dashboards.read(client);
        DashboardPage page = new DashboardPage(title, DayRow.of("", month.total().usage(), format, currency), days,
                models, keys, BudgetSummary.of(dashboard, format), SpeedRow.of(dashboard.speed(), format));
        return Templates.dashboard(frame(client, format, "dashboard"), page);
    }

    /**
     * What the dashboard's charts draw: this period and the previous one per day, by model and by key, the budget's
     * burn-down and forecast, and latency percentiles; in the client's zone and currency (see
     * {@link ClientDashboard}).
     */
    @GET
    @Path("dashboard.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    public ClientDashboard dashboardData() {
        return dashboards.read(ownClient());
    }

    /** The client's API keys, by prefix only: a key is shown once, when it is created, and never again. */
    @GET
    @Path("keys")
    @Transactional
    public TemplateInstance keys() {
        Client client = ownClient();
        ViewerFormat format = format(client);
        List<KeyRow> keys = ApiKey.listByClient(client.id).stream()
                .map(key -> new KeyRow(key.name, key.prefix, format.dateTime(key.createdAt),
                        key.expiresAt == null ? "never" : format.dateTime(key.expiresAt),
                        key.revokedAt == null ? "active" : "revoked " + format.dateTime(key.revokedAt)))
                .toList();
        return Templates.keys(frame(client, format, "keys"), keys, caller.hasRole(Roles.CLIENT_ADMIN));
    }

    /**
     * Creates a key from the keys page's form and shows it, this once: the answer is never cached, and the key is
     * kept nowhere. Only a client's admins may; the form carries a CSRF token, checked before this runs.
     */
    @POST
    @Path("keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    public RestResponse<TemplateInstance> createKey(@RestForm @NotBlank @Size(max = 200) String name) {
        Client client = ownClient();
        ApiKeyIssuer.Issued issued = issuer.issue(client.id, name.strip());
        TemplateInstance page = Templates.keyCreated(frame(client, format(client), "keys"), issued.stored().name,
                issued.stored().prefix, issued.key());
        return RestResponse.ResponseBuilder.ok(page).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /** The client's invoices, latest first, each with its PDF. */
    @GET
    @Path("invoices")
    @Transactional
    public TemplateInstance invoices() {
        Client client = ownClient();
        ViewerFormat format = format(client);
        List<InvoiceRow> invoices = records.invoicesOf(client.id).stream()
                .map(invoice -> new InvoiceRow(invoice.id(), invoice.displayNumber(),
                        format.date(invoice.period().start()) + " – " + format.date(invoice.period().lastDay()),
                        invoice.status().name().toLowerCase(), format.money(invoice.total().value()),
                        format.money(invoice.amountDue().value())))
                .toList();
        return Templates.invoices(frame(client, format, "invoices"), invoices);
    }

    /** An invoice's PDF; 404 for an invoice of another client, as for one that does not exist. */
    @GET
    @Path("invoices/{id}/pdf")
    @Produces("application/pdf")
    @Transactional
    public RestResponse<byte[]> invoicePdf(@RestPath UUID id) {
        Client client = ownClient();
        InvoiceView invoice = records.invoice(id).filter(found -> found.billTo().clientId().equals(client.id))
                .orElseThrow(() -> AdminException.notFound("invoice", id));
        return RestResponse.ResponseBuilder.ok(pdf.render(invoice), "application/pdf")
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"" + invoice.displayNumber() + ".pdf\"")
                .build();
    }

    private Client ownClient() {
        UUID clientId = records.scope().client().orElseThrow(() -> new AdminException(AdminError.FORBIDDEN,
                "your account belongs to no client"));
        return records.client(clientId).orElseThrow(() -> AdminException.notFound("client", clientId));
    }

    private ViewerFormat format(Client client) {
        return new ViewerFormat(ViewerFormat.viewerLocale(headers.getAcceptableLanguages()),
                Currency.getInstance(client.currency), client.zoneId());
    }

    private PageFrame frame(Client client, ViewerFormat format, String active) {
        return new PageFrame(client.name, caller.name(), client.timeZone, format.locale().toLanguageTag(), active);
    }

    private static String keyLabel(DailyActivity.KeyUsage key) {
        return key.keyPrefix() == null ? "(no key)" : key.keyName() + " (" + key.keyPrefix() + "…)";
    }

    /**
     * What every page shows around its content.
     *
     * @param language the viewer's language as a BCP 47 tag, for the page's {@code lang}
     * @param active the navigation entry of the page: {@code dashboard}, {@code keys} or {@code invoices}
     */
    public record PageFrame(String clientName, String userName, String timeZone, String language, String active) {
    }

    /** The dashboard, every value formatted for the viewer. */
    public record DashboardPage(String title, DayRow total, List<DayRow> days, List<BreakdownRow> models,
            List<BreakdownRow> keys, BudgetSummary budget, List<SpeedRow> speed) {
    }

    /**
     * The budget in a sentence: what was spent, what is left and what the period is heading for.
     *
     * @param amount the budget, or null when the client has none
     * @param overBudget whether the forecast exceeds the budget
     */
    public record BudgetSummary(String amount, String spent, String remaining, String forecast, String periodEnd,
            boolean overBudget) {

        static BudgetSummary of(ClientDashboard dashboard, ViewerFormat format) {
            ClientDashboard.Budget budget = dashboard.budget();
            LocalDate lastDay = dashboard.current().month().atEndOfMonth();
            return new BudgetSummary(money(budget.amount(), format), money(budget.spent(), format),
                    money(budget.remaining(), format), money(budget.forecastSpend(), format), format.date(lastDay),
                    budget.forecastRemaining() != null && new BigDecimal(budget.forecastRemaining()).signum() < 0);
        }

        private static String money(String amount, ViewerFormat format) {
            return amount == null ? null : format.money(new BigDecimal(amount));
        }
    }

    /** One measure's percentiles in milliseconds, {@code –} where nothing was measured. */
    public record SpeedRow(String measure, String p50, String p95, String p99) {

        static List<SpeedRow> of(ClientDashboard.Speed speed, ViewerFormat format) {
            return List.of(row("Latency", speed.latencyMs(), format),
                    row("Time to first token", speed.timeToFirstTokenMs(), format));
        }

        private static SpeedRow row(String measure, ClientDashboard.Percentiles percentiles, ViewerFormat format) {
            return new SpeedRow(measure, ms(percentiles.p50(), format), ms(percentiles.p95(), format),
                    ms(percentiles.p99(), format));
        }

        private static String ms(Long value, ViewerFormat format) {
            return value == null ? "–" : format.count(value) + " ms";
        }
    }

    /** One line of usage: a day or the month. */
    public record DayRow(String label, String requests, String tokens, String spend) {

        static DayRow of(String label, DailyActivity.Usage usage, ViewerFormat format, Currency currency) {
            return new DayRow(label, format.count(usage.requests()), format.count(total(usage.tokens())),
                    format.money(CurrencyRounding.toMinorUnit(usage.ratedAmount(), currency)));
        }
    }

    /** One model's or one key's part of the month. */
    public record BreakdownRow(String name, String requests, String tokens, String spend) {

        static BreakdownRow of(String name, DailyActivity.Usage usage, ViewerFormat format, Currency currency) {
            DayRow row = DayRow.of(name, usage, format, currency);
            return new BreakdownRow(name, row.requests(), row.tokens(), row.spend());
        }
    }

    /** An API key as the keys page lists it; never the key itself. */
    public record KeyRow(String name, String prefix, String created, String expires, String state) {
    }

    /** An invoice as the invoices page lists it. */
    public record InvoiceRow(UUID id, String number, String period, String status, String total, String amountDue) {
    }

    /** Every token the client is billed for: input of every kind and output (reasoning is part of output). */
    private static long total(TokenCounts tokens) {
        return tokens.input() + tokens.cachedInput() + tokens.cacheWrite() + tokens.output();
    }
}

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
import io.tollbooth.portal.apikey.ApiKeyLimit;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.usage.ClientDashboard;
import io.tollbooth.portal.usage.ClientDashboardReport;
import io.tollbooth.portal.usage.DailyActivity;
import io.tollbooth.portal.usage.DailyActivityReport;
import io.tollbooth.usage.event.TokenCounts;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The pages a client's people see after signing in through Keycloak: their client's dashboard, API keys and
 * invoices. The client is the one their token names; nothing on these pages takes a client from the request.
 */
@Path("/portal")
@RolesAllowed({Roles.CLIENT_ADMIN, Roles.CLIENT_VIEWER})
@Produces(MediaType.TEXT_HTML)
public class ClientPages {

    private static final String TEXT_CSV = "text/csv; charset=UTF-8";

    private static final Logger LOG = Logger.getLogger(ClientPages.class);

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance dashboard(PageFrame frame, DashboardPage page);

        static native TemplateInstance keys(PageFrame frame, List<KeyRow> keys, boolean canCreate, String today,
                String currency, KeyInput input, String error);

        static native TemplateInstance keyCreated(PageFrame frame, String name, String prefix, String key);

        static native TemplateInstance invoices(PageFrame frame, List<InvoiceRow> invoices, String usageFrom,
                String usageTo, String error);
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
        return keysPage(ownClient(), KeyInput.EMPTY, null);
    }

    private TemplateInstance keysPage(Client client, KeyInput input, String error) {
        ViewerFormat format = format(client);
        List<KeyRow> keys = ApiKey.listByClient(client.id).stream()
                .map(key -> KeyRow.of(key, ApiKeyLimit.forKey(key.id).orElse(null), format))
                .toList();
        return Templates.keys(frame(client, format, "keys"), keys, caller.hasRole(Roles.CLIENT_ADMIN),
                LocalDate.now(clock.withZone(client.zoneId())).toString(), client.currency, input, error);
    }

    /**
     * Creates a key from the keys page's form, with its expiry and limits if given, and shows it, this once: the
     * answer is never cached, and the key is kept nowhere. Only a client's admins may; the form carries a CSRF
     * token, checked before this runs.
     */
    @POST
    @Path("keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    @Transactional
    public RestResponse<TemplateInstance> createKey(@RestForm String name, @RestForm String expiresOn,
            @RestForm String requestsPerMinute, @RestForm String tokensPerMinute, @RestForm String monthlyBudget) {
        Client client = ownClient();
        Currency currency = Currency.getInstance(client.currency);
        KeyInput input = new KeyInput(text(name), text(expiresOn), text(requestsPerMinute), text(tokensPerMinute),
                text(monthlyBudget));
        NewKeyForm form;
        try {
            if (input.name().isEmpty() || input.name().length() > 200) {
                throw AdminException.invalid("a key needs a name of at most 200 characters");
            }
            form = NewKeyForm.parse(input.name(), expiresOn, requestsPerMinute, tokensPerMinute, monthlyBudget,
                    LocalDate.now(clock.withZone(client.zoneId())), currency);
        } catch (AdminException refusal) {
            return RestResponse.ResponseBuilder.create(RestResponse.Status.BAD_REQUEST,
                    keysPage(client, input, "The key was not created: " + refusal.detail() + ".")).build();
        }
        ApiKeyIssuer.Issued issued = issuer.issue(client.id, form.name(), form.expiresAt(client.zoneId()));
        if (form.hasLimits()) {
            limit(issued.stored(), form, client.currency).persist();
        }
        TemplateInstance page = Templates.keyCreated(frame(client, format(client), "keys"), issued.stored().name,
                issued.stored().prefix, issued.key());
        return RestResponse.ResponseBuilder.ok(page).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /**
     * Revokes a key of the client at once and goes back to the keys page; revoking a revoked key changes nothing.
     * 404 for a key of another client, as for one that does not exist.
     */
    @POST
    @Path("keys/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.CLIENT_ADMIN)
    @Transactional
    public RestResponse<Void> revokeKey(@RestPath UUID id) {
        Client client = ownClient();
        ApiKey key = records.apiKey(id).filter(found -> found.clientId.equals(client.id))
                .orElseThrow(() -> AdminException.notFound("API key", id));
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
            LOG.infof("api_key_revoked client=%s key_prefix=%s by=portal", client.id, key.prefix);
        }
        return RestResponse.seeOther(URI.create("/portal/keys"));
    }

    /** The client's invoices, latest first, each with its PDF. */
    @GET
    @Path("invoices")
    @Transactional
    public TemplateInstance invoices() {
        Client client = ownClient();
        LocalDate today = LocalDate.now(clock.withZone(client.zoneId()));
        return invoicesPage(client, today.withDayOfMonth(1).toString(), today.toString(), null);
    }

    private TemplateInstance invoicesPage(Client client, String usageFrom, String usageTo, String error) {
        ViewerFormat format = format(client);
        List<InvoiceRow> invoices = records.invoicesOf(client.id).stream()
                .map(invoice -> new InvoiceRow(invoice.id(), invoice.displayNumber(),
                        format.date(invoice.period().start()) + " – " + format.date(invoice.period().lastDay()),
                        invoice.status().name().toLowerCase(), format.money(invoice.total().value()),
                        format.money(invoice.amountDue().value())))
                .toList();
        return Templates.invoices(frame(client, format, "invoices"), invoices, usageFrom, usageTo, error);
    }

    /**
     * The client's rated usage of any range of days of its zone as CSV, one row per event and token kind, the
     * columns of the finance export. Without {@code from} and {@code to}, this month to today.
     */
    @GET
    @Path("usage.csv")
    @Produces(TEXT_CSV)
    public RestResponse<StreamingOutput> usageCsv(@RestQuery String from, @RestQuery String to) {
        Client client = ownClient();
        LocalDate today = LocalDate.now(clock.withZone(client.zoneId()));
        LocalDate first;
        LocalDate last;
        try {
            first = from == null || from.isBlank() ? today.withDayOfMonth(1) : day("from", from);
            last = to == null || to.isBlank() ? today : day("to", to);
            if (last.isBefore(first)) {
                throw AdminException.invalid("to (" + last + ") is before from (" + first + ")");
            }
        } catch (AdminException refusal) {
            // The form is shown again, as typed, with the reason.
            return RefusedDownload.page(invoicesPage(client, text(from), text(to),
                    "No CSV: " + refusal.detail() + "."));
        }
        ScopedRecords.UsageCsv csv = records.usageCsv(client.id, first, last)
                .orElseThrow(() -> AdminException.notFound("client", client.id));
        UUID clientId = client.id;
        StreamingOutput body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            long rows = csv.writeTo(writer);
            LOG.infof("usage_exported client=%s from=%s to=%s rows=%d by=portal", clientId, first, last, rows);
        };
        return RestResponse.ResponseBuilder.ok(body, TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"usage-" + client.slug + "-" + first
                        + "-to-" + last + ".csv\"")
                .build();
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
        return ownClient(records);
    }

    /** The client the caller's token names; 403 when it names none, 404 when that client does not exist. */
    static Client ownClient(ScopedRecords records) {
        UUID clientId = records.scope().client().orElseThrow(() -> new AdminException(AdminError.FORBIDDEN,
                "your account belongs to no client"));
        return records.client(clientId).orElseThrow(() -> AdminException.notFound("client", clientId));
    }

    private ViewerFormat format(Client client) {
        return format(client, headers);
    }

    /** Amounts and dates as the viewer reads them: their language, the client's currency and time zone. */
    static ViewerFormat format(Client client, HttpHeaders headers) {
        return new ViewerFormat(ViewerFormat.viewerLocale(headers.getAcceptableLanguages()),
                Currency.getInstance(client.currency), client.zoneId());
    }

    private PageFrame frame(Client client, ViewerFormat format, String active) {
        return PageFrame.of(client, caller, format, active);
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    private static LocalDate day(String field, String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw AdminException.invalid(field + " must be a date such as 2026-12-31");
        }
    }

    private static ApiKeyLimit limit(ApiKey key, NewKeyForm form, String currency) {
        ApiKeyLimit limit = new ApiKeyLimit();
        limit.apiKeyId = key.id;
        limit.requestsPerMinute = form.requestsPerMinute();
        limit.tokensPerMinute = form.tokensPerMinute();
        limit.budgetAmount = form.monthlyBudget();
        limit.budgetCurrency = form.monthlyBudget() == null ? null : currency;
        limit.updatedAt = key.createdAt;
        return limit;
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
    /**
     * What every client page shows around its content.
     *
     * @param canManagePeople whether the viewer is a client admin, who sees the People page
     */
    public record PageFrame(String clientName, String userName, String timeZone, String language, String active,
            boolean canManagePeople) {

        static PageFrame of(Client client, Caller caller, ViewerFormat format, String active) {
            return new PageFrame(client.name, caller.name(), client.timeZone, format.locale().toLanguageTag(), active,
                    caller.hasRole(Roles.CLIENT_ADMIN));
        }
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

    /**
     * An API key as the keys page lists it; never the key itself.
     *
     * @param limits the key's own limits in words, or {@code client's limits} when it has none
     * @param active whether the key may still be revoked
     */
    public record KeyRow(UUID id, String name, String prefix, String created, String expires, String limits,
            String state, boolean active) {

        static KeyRow of(ApiKey key, ApiKeyLimit limit, ViewerFormat format) {
            return new KeyRow(key.id, key.name, key.prefix, format.dateTime(key.createdAt),
                    key.expiresAt == null ? "never" : format.dateTime(key.expiresAt), limits(limit, format),
                    key.revokedAt == null ? "active" : "revoked " + format.dateTime(key.revokedAt),
                    key.revokedAt == null);
        }

        private static String limits(ApiKeyLimit limit, ViewerFormat format) {
            List<String> parts = new ArrayList<>();
            if (limit != null && limit.requestsPerMinute != null) {
                parts.add(format.count(limit.requestsPerMinute) + " requests/min");
            }
            if (limit != null && limit.tokensPerMinute != null) {
                parts.add(format.count(limit.tokensPerMinute) + " tokens/min");
            }
            if (limit != null && limit.budgetAmount != null) {
                parts.add(format.money(limit.budgetAmount) + " a month");
            }
            return parts.isEmpty() ? "client's limits" : String.join(" · ", parts);
        }
    }

    /** An invoice as the invoices page lists it. */
    public record InvoiceRow(UUID id, String number, String period, String status, String total, String amountDue) {
    }

    /** Every token the client is billed for: input of every kind and output (reasoning is part of output). */
    private static long total(TokenCounts tokens) {
        return tokens.input() + tokens.cachedInput() + tokens.cacheWrite() + tokens.output();
    }

    /** What was typed into the new-key form, shown again when it is refused. */
    public record KeyInput(String name, String expiresOn, String requestsPerMinute, String tokensPerMinute,
            String monthlyBudget) {

        static final KeyInput EMPTY = new KeyInput("", "", "", "", "");
    }
}

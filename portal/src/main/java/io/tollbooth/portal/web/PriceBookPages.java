package io.tollbooth.portal.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tollbooth.metering.pricebook.NewPrice;
import io.tollbooth.metering.pricebook.PriceBookError;
import io.tollbooth.metering.pricebook.PriceBookException;
import io.tollbooth.metering.pricebook.PriceChangeCheck;
import io.tollbooth.metering.pricebook.SelfHostedCost;
import io.tollbooth.metering.pricebook.StoredMarkup;
import io.tollbooth.metering.pricebook.StoredPrice;
import io.tollbooth.metering.rating.Price;
import io.tollbooth.metering.rating.TierMode;
import io.tollbooth.metering.rating.UsageUnit;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.admin.CostPriceResource;
import io.tollbooth.portal.admin.MarginResource;
import io.tollbooth.portal.pricing.Model;
import io.tollbooth.portal.pricing.PlanMoves;
import io.tollbooth.portal.pricing.PriceBookDesk;
import io.tollbooth.portal.pricing.PricePlan;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.tenant.Operator;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The operator's price book: cost prices with their spans, LiteLLM imports, self-hosted cost bases, and per client
 * the plan, own prices, markups and margins. Every change goes through {@link PriceBookDesk}, as the admin API's do,
 * so a price far out of line is held back here too: the page shows why and asks for a confirming tick. Every form
 * carries a CSRF token; a change that succeeds redirects (so reloading repeats nothing), one refused re-renders the
 * page with the values entered and the reason.
 */
@Path("/portal/operator/price-book")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.TEXT_HTML)
public class PriceBookPages {

    /** What a change did, by the code the page is redirected with, so that no free text travels in a URL. */
    private static final Map<String, String> NOTICES = Map.of(
            "cost-added", "The cost price was added.",
            "basis-added", "The self-hosted cost basis was recorded and its costs per 1M tokens added.",
            "markup-set", "The markup was set.",
            "price-added", "The client's price was added.",
            "plan-moved", "The move to the other plan was recorded; it applies to usage from its time on.");

    private static final List<String> UNITS = Arrays.stream(UsageUnit.values()).map(UsageUnit::code).toList();

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance costs(StaffFrame frame, OperatorChoice choice, CostsPage page);

        static native TemplateInstance imported(StaffFrame frame, OperatorChoice choice, List<ImportRow> prices,
                String summary);

        static native TemplateInstance clients(StaffFrame frame, OperatorChoice choice, List<ClientLink> clients);

        static native TemplateInstance client(StaffFrame frame, ClientPage page);
    }

    @Inject
    PlanMoves planMoves;

    @Inject
    PriceBookDesk desk;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    @Context
    HttpHeaders headers;

    /** The chosen operator's cost prices and self-hosted bases, with the forms that add to them. */
    @GET
    public TemplateInstance costs(@RestQuery String operator, @RestQuery String done) throws SQLException {
        OperatorChoice choice = OperatorChoice.of(operator, null, clock);
        return costsPage(choice, Forms.empty(), done == null ? null : NOTICES.get(done), null, List.of(), null);
    }

    /** Adds one cost price typed in; out of line with the previous price or LiteLLM's, it needs the tick. */
    @POST
    @Path("costs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> addCost(@RestForm String operator, @RestForm String model,
            @RestForm String unit, @RestForm String unitPrice, @RestForm String longContextOver,
            @RestForm String effectiveFrom, @RestForm boolean confirm) throws SQLException {
        OperatorChoice choice = chosen(operator);
        Forms forms = Forms.empty().withCost(new PriceForm(model, unit, unitPrice, longContextOver, "", "",
                effectiveFrom));
        return change(() -> {
            NewPrice price = new NewPrice(required("model", model), unit(unit), decimal("unit price", unitPrice),
                    instant(effectiveFrom), count("long-context threshold", longContextOver), 0, TierMode.GRADUATED);
            desk.addCostPrices(choice.operatorId(), List.of(price), confirm, caller.name());
            return costsUrl(choice, "cost-added");
        }, (error, warnings) -> costsPage(choice, forms, null, error, warnings, "cost"));
    }

    /** Records a self-hosted cost basis and adds the costs derived from it. */
    @POST
    @Path("self-hosted")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> addBasis(@RestForm String operator, @RestForm String model,
            @RestForm String node, @RestForm String costPerHour, @RestForm String inputTokensPerSecond,
            @RestForm String outputTokensPerSecond, @RestForm String effectiveFrom, @RestForm boolean confirm)
            throws SQLException {
        OperatorChoice choice = chosen(operator);
        Forms forms = Forms.empty().withBasis(new BasisForm(model, node, costPerHour, inputTokensPerSecond,
                outputTokensPerSecond, effectiveFrom));
        return change(() -> {
            SelfHostedCost basis = new SelfHostedCost(required("model", model), required("node", node),
                    decimal("cost per hour", costPerHour), decimal("input tokens per second", inputTokensPerSecond),
                    decimal("output tokens per second", outputTokensPerSecond), instant(effectiveFrom));
            desk.addSelfHostedCost(choice.operatorId(), basis, confirm, caller.name());
            return costsUrl(choice, "basis-added");
        }, (error, warnings) -> costsPage(choice, forms, null, error, warnings, "basis"));
    }

    /**
     * Imports LiteLLM's price table from an uploaded file and shows every price it wrote, with the cost in force
     * before it.
     */
    @POST
    @Path("litellm")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public RestResponse<TemplateInstance> importLiteLlm(@RestForm String operator, @RestForm("table") FileUpload table,
            @RestForm String effectiveFrom, @RestForm String models, @RestForm boolean confirm) throws SQLException {
        OperatorChoice choice = chosen(operator);
        Forms forms = Forms.empty().withImport(new ImportForm(effectiveFrom, models));
        try {
            if (table == null || table.size() == 0) {
                throw AdminException.invalid("Choose LiteLLM's price table (a JSON file) to import.");
            }
            List<String> pairs = models == null ? List.of() : models.lines().map(String::strip)
                    .filter(line -> !line.isEmpty()).toList();
            Instant from = effectiveFrom == null || effectiveFrom.isBlank() ? null : instant(effectiveFrom);
            List<PriceBookDesk.ImportedPrice> imported;
            try (InputStream json = Files.newInputStream(table.uploadedFile())) {
                imported = desk.importLiteLlm(choice.operatorId(), json, CostPriceResource.entries(pairs), from,
                        confirm, caller.name());
            }
            List<ImportRow> rows = imported.stream().map(this::importRow).toList();
            return RestResponse.ok(Templates.imported(frame(), choice, rows, summary(imported)));
        } catch (IOException e) {
            return refused(costsPage(choice, forms, null, "The file could not be read.", List.of(), "import"), 400);
        } catch (AdminException e) {
            return refused(costsPage(choice, forms, null, e.detail(), List.of(), "import"), e.error().status());
        } catch (PriceBookException e) {
            return refused(costsPage(choice, forms, null, e.outOfLine().isEmpty() ? e.getMessage() : null,
                    warnings(e), "import"), RestResponse.Status.CONFLICT.getStatusCode());
        }
    }

    /**
     * The chosen operator's clients with each one's margin in the chosen month (of its own zone), each linking to
     * its pricing and margins per model.
     */
    @GET
    @Path("clients")
    public TemplateInstance clients(@RestQuery String operator, @RestQuery String month) {
        OperatorChoice choice = OperatorChoice.of(operator, month, clock);
        List<ClientLink> clients = !choice.chosen() ? List.of() : desk.operatorMargins(choice.operatorId(),
                choice.month()).stream().map(this::clientLink).toList();
        return Templates.clients(frame(), choice, clients);
    }

    private ClientLink clientLink(PriceBookDesk.Margins margins) {
        Client c = margins.client();
        ViewerFormat revenue = new ViewerFormat(locale(), Currency.getInstance(margins.currency()), c.zoneId());
        ViewerFormat cost = new ViewerFormat(locale(), Currency.getInstance(margins.costCurrency()), c.zoneId());
        return new ClientLink(c.id, c.name, c.slug, margins.currency(),
                marginRow(c.name, margins.total(), revenue, cost));
    }

    /**
     * One client's plan, own prices, markups and margins. The margins cover whole days of the client's zone: the
     * month {@code period}, or {@code from} to {@code to}; without them, this month to today.
     */
    @GET
    @Path("clients/{id}")
    public TemplateInstance client(@RestPath UUID id, @RestQuery String period, @RestQuery String from,
            @RestQuery String to, @RestQuery String done) throws SQLException {
        String notice = done == null ? null : NOTICES.get(done);
        try {
            return clientPage(id, new MarginFilter(period, from, to), PriceForm.EMPTY, null, notice, null, List.of(),
                    null);
        } catch (AdminException e) {
            if (e.error() == io.tollbooth.portal.admin.AdminError.NOT_FOUND) {
                throw e;
            }
            return clientPage(id, MarginFilter.NONE, PriceForm.EMPTY, null, notice, e.detail(), List.of(), null);
        }
    }

    /** Sets the client's markup over cost. */
    @POST
    @Path("clients/{id}/markup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> setMarkup(@RestPath UUID id, @RestForm String percent,
            @RestForm String effectiveFrom) throws SQLException {
        MarkupForm form = new MarkupForm(percent, effectiveFrom);
        return change(() -> {
            if (percent == null || !percent.strip().matches("-?\\d{1,6}(\\.\\d{1,6})?")) {
                throw AdminException.invalid("Write the markup as a percentage such as 20 or -12.5.");
            }
            desk.setMarkup(id, new BigDecimal(percent.strip()), instant(effectiveFrom), caller.name());
            return clientUrl(id, "markup-set");
        }, (error, warnings) -> clientPage(id, MarginFilter.NONE, PriceForm.EMPTY, form, null, error, warnings,
                "markup"));
    }

    /** Moves the client to another plan of the operator, in its currency, from a time not yet past. */
    @POST
    @Path("clients/{id}/plan")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> movePlan(@RestPath UUID id, @RestForm String plan,
            @RestForm String effectiveFrom) throws SQLException {
        PlanMoveForm form = new PlanMoveForm(plan, effectiveFrom);
        return change(() -> {
            UUID planId;
            try {
                planId = UUID.fromString(plan == null ? "" : plan.strip());
            } catch (IllegalArgumentException e) {
                throw AdminException.invalid("Choose the plan to move the client to.");
            }
            Client client = Client.<Client>findByIdOptional(id).orElseThrow(() -> AdminException.notFound("client",
                    id));
            planMoves.move(client, planId, instant(effectiveFrom), clock.instant().truncatedTo(ChronoUnit.MICROS),
                    caller.name());
            return clientUrl(id, "plan-moved");
        }, (error, warnings) -> clientPage(id, MarginFilter.NONE, PriceForm.EMPTY, null, form, null, error, warnings,
                "plan"));
    }

    /** Adds a price of the client's own, in its currency; out of line, it needs the tick. */
    @POST
    @Path("clients/{id}/prices")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> addClientPrice(@RestPath UUID id, @RestForm String model,
            @RestForm String unit, @RestForm String unitPrice, @RestForm String longContextOver,
            @RestForm String monthlyFrom, @RestForm String tierMode, @RestForm String effectiveFrom,
            @RestForm boolean confirm) throws SQLException {
        PriceForm form = new PriceForm(model, unit, unitPrice, longContextOver, monthlyFrom, tierMode, effectiveFrom);
        return change(() -> {
            NewPrice price = new NewPrice(required("model", model), unit(unit), decimal("unit price", unitPrice),
                    instant(effectiveFrom), count("long-context threshold", longContextOver),
                    count("start of the monthly band", monthlyFrom), tierMode(tierMode));
            desk.addClientPrices(id, List.of(price), confirm, caller.name());
            return clientUrl(id, "price-added");
        }, (error, warnings) -> clientPage(id, MarginFilter.NONE, form, null, null, error, warnings, "price"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Pages

    private TemplateInstance costsPage(OperatorChoice choice, Forms forms, String notice, String error,
            List<String> warnings, String warningFor) throws SQLException {
        if (!choice.chosen()) {
            return Templates.costs(frame(), choice, CostsPage.none(forms));
        }
        Operator operator = inTransaction(() -> Operator.findById(choice.operatorId()));
        ViewerFormat format = new ViewerFormat(locale(), Currency.getInstance(operator.currency.trim()),
                ZoneOffset.UTC);
        List<CostRow> costs = desk.costPrices(choice.operatorId()).stream().map(row -> costRow(row, format))
                .toList();
        List<BasisRow> bases = desk.selfHostedCosts(choice.operatorId()).stream().map(b -> basisRow(b, format))
                .toList();
        return Templates.costs(frame(), choice, new CostsPage(operator.currency.trim(), models(choice.operatorId()),
                UNITS, costs, bases, forms, notice, error, warnings, warningFor));
    }

    private TemplateInstance clientPage(UUID id, MarginFilter filter, PriceForm priceForm, MarkupForm markupForm,
            String notice, String error, List<String> warnings, String warningFor) throws SQLException {
        return clientPage(id, filter, priceForm, markupForm, PlanMoveForm.EMPTY, notice, error, warnings, warningFor);
    }

    private TemplateInstance clientPage(UUID id, MarginFilter filter, PriceForm priceForm, MarkupForm markupForm,
            PlanMoveForm planMoveForm, String notice, String error, List<String> warnings, String warningFor)
            throws SQLException {
        PriceBookDesk.ClientBook book = desk.clientBook(id);
        Client client = book.client();
        ViewerFormat format = new ViewerFormat(locale(), Currency.getInstance(client.currency.trim()), ZoneOffset.UTC);
        List<PlanPriceRow> plan = book.planPrices().stream()
                .map(p -> new PlanPriceRow(p.model(), unitName(UsageUnit.ofCode(p.unit())),
                        unitPrice(p.unitPrice(), p.currency(), UsageUnit.ofCode(p.unit())),
                        format.dateTime(p.effectiveFrom())))
                .toList();
        List<ClientPriceRow> prices = book.prices().stream().map(p -> clientPriceRow(p, format)).toList();
        List<MarkupRow> markups = book.markups().stream().map(m -> markupRow(m, format)).toList();
        LocalDate[] days = MarginResource.days(client, filter.period(), filter.from(), filter.to(), clock);
        MarginSection margins = margins(desk.margins(id, days[0], days[1]), filter);
        return Templates.client(frame(), new ClientPage(client.id, client.name, client.slug, client.currency.trim(),
                client.timeZone, client.operatorId, book.plan().name, plan, prices, markups,
                models(client.operatorId), UNITS, margins, priceForm,
                markupForm == null ? MarkupForm.EMPTY : markupForm, planMoveRows(client, format),
                planOptions(client), planMoveForm, notice, error, warnings, warningFor));
    }

    private List<PlanMoveRow> planMoveRows(Client client, ViewerFormat format) throws SQLException {
        return planMoves.history(client.id).stream()
                .map(m -> new PlanMoveRow(m.planName(), format.dateTime(m.effectiveFrom()), m.createdBy()))
                .toList();
    }

    /** The operator's plans a client can move to: those in its currency. */
    private static List<PlanOption> planOptions(Client client) {
        return PricePlan.<PricePlan>list("operatorId", client.operatorId).stream()
                .filter(plan -> plan.currency.trim().equals(client.currency.trim()))
                .sorted(java.util.Comparator.comparing((PricePlan plan) -> plan.name))
                .map(plan -> new PlanOption(plan.id.toString(), plan.name))
                .toList();
    }

    private MarginSection margins(PriceBookDesk.Margins margins, MarginFilter filter) {
        ViewerFormat revenue = new ViewerFormat(locale(), Currency.getInstance(margins.currency()),
                margins.client().zoneId());
        ViewerFormat cost = new ViewerFormat(locale(), Currency.getInstance(margins.costCurrency()),
                margins.client().zoneId());
        List<MarginRow> rows = margins.models().stream().map(m -> marginRow(m.model(), m, revenue, cost)).toList();
        return new MarginSection(revenue.date(margins.from()), revenue.date(margins.to()), margins.currency(),
                margins.costCurrency(), margins.comparable(), rows, marginRow("Total", margins.total(), revenue, cost),
                filter.period() == null ? "" : filter.period(), margins.from().toString(), margins.to().toString());
    }

    private static MarginRow marginRow(String label, PriceBookDesk.ModelMargin m, ViewerFormat revenue,
            ViewerFormat cost) {
        String percent = m.margin() == null || m.costedRevenue().signum() == 0 ? "–"
                : m.margin().multiply(BigDecimal.valueOf(100))
                        .divide(m.costedRevenue(), 1, java.math.RoundingMode.HALF_UP).toPlainString() + " %";
        return new MarginRow(label, revenue.count(m.events()), revenue.money(m.revenue()), cost.money(m.cost()),
                revenue.money(m.uncostedRevenue()), m.margin() == null ? "–" : revenue.money(m.margin()), percent);
    }

    private CostRow costRow(PriceBookDesk.CostRow row, ViewerFormat format) {
        Price p = row.stored().price();
        return new CostRow(row.stored().model(), unitName(p.unit()), tier(p.longContextOver(), format),
                unitPrice(p.unitPrice(), p.currency(), p.unit()), format.dateTime(p.effectiveFrom()),
                row.until() == null ? "" : format.dateTime(row.until()), row.state(), source(row.stored().source()),
                row.stored().createdBy());
    }

    private BasisRow basisRow(PriceBookDesk.Basis b, ViewerFormat format) {
        return new BasisRow(b.model(), b.node(), format.money(b.costPerHour()) + " per hour",
                b.inputTokensPerSecond().toPlainString(), b.outputTokensPerSecond().toPlainString(),
                unitPrice(b.inputPerMillion(), b.currency(), UsageUnit.INPUT),
                unitPrice(b.outputPerMillion(), b.currency(), UsageUnit.OUTPUT), format.dateTime(b.effectiveFrom()));
    }

    private static ClientPriceRow clientPriceRow(StoredPrice stored, ViewerFormat format) {
        Price p = stored.price();
        String band = p.monthlyFrom() == 0 ? "" : "from unit " + format.count(p.monthlyFrom()) + " of the month ("
                + p.tierMode().code() + ")";
        return new ClientPriceRow(stored.model(), unitName(p.unit()), tier(p.longContextOver(), format), band,
                unitPrice(p.unitPrice(), p.currency(), p.unit()), format.dateTime(p.effectiveFrom()),
                stored.correctedBy() != null);
    }

    private static MarkupRow markupRow(StoredMarkup stored, ViewerFormat format) {
        return new MarkupRow(stored.markup().percent().toPlainString() + " %",
                format.dateTime(stored.markup().effectiveFrom()), stored.createdBy(), stored.correctedBy() != null);
    }

    private ImportRow importRow(PriceBookDesk.ImportedPrice imported) {
        Price p = imported.stored().price();
        ViewerFormat format = new ViewerFormat(locale(), Currency.getInstance(p.currency()), ZoneOffset.UTC);
        return new ImportRow(imported.stored().model(), imported.entry(), unitName(p.unit()),
                tier(p.longContextOver(), format), imported.previous() == null ? ""
                : unitPrice(imported.previous(), p.currency(), p.unit()),
                unitPrice(p.unitPrice(), p.currency(), p.unit()), imported.outcome(),
                format.dateTime(p.effectiveFrom()));
    }

    private static String summary(List<PriceBookDesk.ImportedPrice> imported) {
        long created = imported.stream().filter(p -> p.outcome().equals("new")).count();
        long changed = imported.stream().filter(p -> p.outcome().equals("changed")).count();
        return imported.size() + " prices imported: " + created + " new, " + changed + " changed, "
                + (imported.size() - created - changed) + " unchanged.";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Input and refusals

    private RestResponse<TemplateInstance> change(Action action, Refusal refusal) throws SQLException {
        try {
            return RestResponse.seeOther(action.run());
        } catch (AdminException e) {
            if (e.error() == io.tollbooth.portal.admin.AdminError.NOT_FOUND) {
                throw e;
            }
            return refused(refusal.page(e.detail(), List.of()), e.error().status());
        } catch (PriceBookException e) {
            if (e.error() == PriceBookError.CLIENT_NOT_FOUND || e.error() == PriceBookError.OPERATOR_NOT_FOUND) {
                throw e;
            }
            // Prices held back are listed with the tick that confirms them, not as an error.
            return refused(refusal.page(e.outOfLine().isEmpty() ? e.getMessage() : null, warnings(e)),
                    RestResponse.Status.CONFLICT.getStatusCode());
        }
    }

    /** The page again with the reason: 400 for input the page cannot take, 409 for a change the books refuse. */
    private static RestResponse<TemplateInstance> refused(TemplateInstance page, int status) {
        return RestResponse.ResponseBuilder.<TemplateInstance>create(status).entity(page).build();
    }

    private static List<String> warnings(PriceBookException e) {
        return e.outOfLine().stream().map(p -> p.detail()).toList();
    }

    private static OperatorChoice chosen(String operator, Clock clock) {
        OperatorChoice choice = OperatorChoice.of(operator, null, clock);
        if (!choice.chosen()) {
            throw AdminException.invalid("choose the operator whose price book to change");
        }
        return choice;
    }

    private OperatorChoice chosen(String operator) {
        return chosen(operator, clock);
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw AdminException.invalid("Fill in the " + field + ".");
        }
        return value.strip();
    }

    private static UsageUnit unit(String code) {
        if (code == null || !UNITS.contains(code)) {
            throw AdminException.invalid("Choose what the price is for.");
        }
        return UsageUnit.ofCode(code);
    }

    private static BigDecimal decimal(String field, String text) {
        if (text == null || !text.strip().matches("\\d{1,12}(\\.\\d{1,12})?")) {
            throw AdminException.invalid("Write the " + field + " as a plain number such as 2.50.");
        }
        return new BigDecimal(text.strip());
    }

    private static long count(String field, String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        if (!text.strip().matches("\\d{1,12}")) {
            throw AdminException.invalid("Write the " + field + " as a whole number, or leave it empty.");
        }
        return Long.parseLong(text.strip());
    }

    /** How monthly bands price a month; graduated unless the form says volume. */
    private static TierMode tierMode(String text) {
        if (text == null || text.isBlank()) {
            return TierMode.GRADUATED;
        }
        try {
            return TierMode.ofCode(text.strip());
        } catch (IllegalArgumentException e) {
            throw AdminException.invalid("Choose graduated or volume for how the monthly bands price a month.");
        }
    }

    /** A {@code datetime-local} value (or an ISO instant), read as UTC. */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            throw AdminException.invalid("Fill in when the price applies from (UTC).");
        }
        try {
            return text.strip().endsWith("Z") ? Instant.parse(text.strip())
                    : LocalDateTime.parse(text.strip()).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw AdminException.invalid("Write when the price applies from as a date and time such as "
                    + "2026-12-01T00:00 (UTC).");
        }
    }

    private List<String> models(UUID operatorId) {
        return inTransaction(() -> Model.<Model>list("operatorId = ?1 order by name", operatorId).stream()
                .map(m -> m.name).toList());
    }

    private static <T> T inTransaction(Supplier<T> work) {
        return io.quarkus.narayana.jta.QuarkusTransaction.joiningExisting().call(work::get);
    }

    private static URI costsUrl(OperatorChoice choice, String done) {
        return URI.create("/portal/operator/price-book?operator=" + choice.operatorId() + "&done=" + done);
    }

    private static URI clientUrl(UUID id, String done) {
        return URI.create("/portal/operator/price-book/clients/" + id + "?done=" + done);
    }

    private StaffFrame frame() {
        return StaffFrame.of(caller, locale(), "price-book");
    }

    private Locale locale() {
        return ViewerFormat.viewerLocale(headers.getAcceptableLanguages());
    }

    private static String unitName(UsageUnit unit) {
        return switch (unit) {
            case INPUT -> "input tokens";
            case CACHED_INPUT -> "cached input tokens";
            case CACHE_WRITE -> "cache write tokens";
            case OUTPUT -> "output tokens";
            case REQUEST -> "requests";
            case AUDIO_SECOND -> "audio seconds";
        };
    }

    /** A unit price exactly as stored (never rounded), with what it is per, as on invoice lines. */
    private static String unitPrice(BigDecimal price, String currency, UsageUnit unit) {
        String per = unit.perMillion() ? "per 1M tokens" : unit == UsageUnit.REQUEST ? "per request" : "per second";
        return price.toPlainString() + " " + currency + " " + per;
    }

    private static String tier(long longContextOver, ViewerFormat format) {
        return longContextOver == 0 ? "" : "prompt over " + format.count(longContextOver) + " tokens";
    }

    private static String source(String code) {
        return switch (code == null ? "" : code) {
            case "litellm" -> "LiteLLM import";
            case "self_hosted" -> "self-hosted basis";
            default -> "typed in";
        };
    }

    @FunctionalInterface
    private interface Action {
        URI run() throws SQLException;
    }

    @FunctionalInterface
    private interface Refusal {
        TemplateInstance page(String error, List<String> warnings) throws SQLException;
    }

    // ---------------------------------------------------------------------------------------------------------
    // View models: every value already formatted for the viewer

    /**
     * The cost page.
     *
     * @param warnings prices held back as out of line, for the form named by {@code warningFor}
     * @param warningFor {@code cost}, {@code basis} or {@code import}: the form that was refused
     */
    public record CostsPage(String currency, List<String> models, List<String> units, List<CostRow> costs,
            List<BasisRow> bases, Forms forms, String notice, String error, List<String> warnings,
            String warningFor) {

        /** How far a price may move before it needs confirming, as metering's check has it. */
        public int checkFactor() {
            return PriceChangeCheck.FACTOR;
        }

        static CostsPage none(Forms forms) {
            return new CostsPage("", List.of(), UNITS, List.of(), List.of(), forms, null, null, List.of(), null);
        }
    }

    /** What each form on the cost page shows, refilled after a refusal. */
    public record Forms(PriceForm cost, BasisForm basis, ImportForm litellm) {

        static Forms empty() {
            return new Forms(PriceForm.EMPTY, new BasisForm("", "", "", "", "", ""), new ImportForm("", ""));
        }

        Forms withCost(PriceForm form) {
            return new Forms(form, basis, litellm);
        }

        Forms withBasis(BasisForm form) {
            return new Forms(cost, form, litellm);
        }

        Forms withImport(ImportForm form) {
            return new Forms(cost, basis, form);
        }
    }

    /** A price form's values as entered. */
    public record PriceForm(String model, String unit, String unitPrice, String longContextOver,
            String monthlyFrom, String tierMode, String effectiveFrom) {

        static final PriceForm EMPTY = new PriceForm("", "input", "", "", "", "graduated", "");
    }

    public record BasisForm(String model, String node, String costPerHour, String inputTokensPerSecond,
            String outputTokensPerSecond, String effectiveFrom) {
    }

    public record ImportForm(String effectiveFrom, String models) {
    }

    public record MarkupForm(String percent, String effectiveFrom) {

        static final MarkupForm EMPTY = new MarkupForm("", "");
    }

    /** What was typed into the plan move form, shown again when it is refused. */
    public record PlanMoveForm(String plan, String effectiveFrom) {

        static final PlanMoveForm EMPTY = new PlanMoveForm("", "");
    }

    /** One move of the client to another plan; times in UTC. */
    public record PlanMoveRow(String plan, String from, String createdBy) {
    }

    /** A plan the client can move to. */
    public record PlanOption(String id, String name) {
    }

    /** One cost price; times in UTC. */
    public record CostRow(String model, String unit, String tier, String unitPrice, String from, String until,
            String state, String source, String createdBy) {
    }

    public record BasisRow(String model, String node, String costPerHour, String inputTokensPerSecond,
            String outputTokensPerSecond, String inputPerMillion, String outputPerMillion, String from) {
    }

    /** One price an import wrote, with the cost in force before it. */
    public record ImportRow(String model, String entry, String unit, String tier, String previous, String unitPrice,
            String outcome, String from) {
    }

    /** A client with its month's totals. */
    public record ClientLink(UUID id, String name, String slug, String currency, MarginRow month) {
    }

    /** A client's pricing page. */
    public record ClientPage(UUID id, String name, String slug, String currency, String timeZone, UUID operatorId,
            String planName, List<PlanPriceRow> planPrices, List<ClientPriceRow> prices, List<MarkupRow> markups,
            List<String> models, List<String> units, MarginSection margins, PriceForm priceForm,
            MarkupForm markupForm, List<PlanMoveRow> planMoves, List<PlanOption> planOptions,
            PlanMoveForm planMoveForm, String notice, String error, List<String> warnings, String warningFor) {

        /** How far a price may move before it needs confirming, as metering's check has it. */
        public int checkFactor() {
            return PriceChangeCheck.FACTOR;
        }
    }

    public record PlanPriceRow(String model, String unit, String unitPrice, String from) {
    }

    public record ClientPriceRow(String model, String unit, String tier, String band, String unitPrice, String from,
            boolean corrected) {
    }

    public record MarkupRow(String percent, String from, String createdBy, boolean corrected) {
    }

    /** The margins table and the filter that chose its days. */
    public record MarginSection(String firstDay, String lastDay, String currency, String costCurrency,
            boolean comparable, List<MarginRow> rows, MarginRow total, String period, String from, String to) {
    }

    public record MarginRow(String model, String events, String revenue, String cost, String uncostedRevenue,
            String margin, String marginPercent) {
    }

    /** The margin filter's query parameters as given. */
    record MarginFilter(String period, String from, String to) {

        static final MarginFilter NONE = new MarginFilter(null, null, null);

        MarginFilter {
            period = blankToNull(period);
            from = blankToNull(from);
            to = blankToNull(to);
        }

        private static String blankToNull(String text) {
            return text == null || text.isBlank() ? null : text.strip();
        }
    }
}

package io.tollbooth.portal.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tollbooth.billing.invoice.BillingTerms;
import io.tollbooth.billing.invoice.ClientAccount;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.admin.ClientAccountResource.BillingAccountUpdate;
import io.tollbooth.portal.admin.ClientAccountResource.TaxRateBody;
import io.tollbooth.portal.admin.ClientResource.CreateClient;
import io.tollbooth.portal.identity.PeopleDirectory;
import io.tollbooth.portal.pricing.PricePlan;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.tenant.ClientDesk;
import io.tollbooth.portal.web.PeopleForms.InviteForm;
import io.tollbooth.portal.web.PeopleForms.PersonRow;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The operator's client pages: the operator's clients, a new client, and each client's billing account, budget,
 * pricing (read only) and people. Every change goes through {@link ClientDesk} or {@link PeopleDirectory}, as the
 * admin API's do; a form that fails is shown again with the reason and what was typed.
 */
@Path("/portal/operator/clients")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.TEXT_HTML)
public class ClientAdminPages {

    /** How many empty tax-rate rows the account form offers besides the client's rates. */
    private static final int BLANK_TAX_ROWS = 2;

    private static final Map<String, String> NOTICES = Map.of(
            "created", "The client was created. Set its billing account and budget below.",
            "account", "The billing account was saved. Drafts made from now on use it; issued invoices keep theirs.",
            "budget", "The budget was saved. The gateway enforces it from its next refresh.",
            "invited", PeopleForms.INVITED, "removed", PeopleForms.REMOVED);

    /** Field names of the forms as people read them, for validation messages. */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("operatorId", "Operator"), Map.entry("slug", "Short name"), Map.entry("name", "Name"),
            Map.entry("currency", "Currency"), Map.entry("timeZone", "Time zone"),
            Map.entry("pricePlanId", "Price plan"), Map.entry("billingDay", "Billing day"),
            Map.entry("paymentTermsDays", "Payment terms"), Map.entry("locale", "Invoice language"),
            Map.entry("contactName", "Billing contact"), Map.entry("contactEmail", "Billing e-mail"),
            Map.entry("billingAddress", "Billing address"), Map.entry("purchaseOrder", "Purchase order number"),
            Map.entry("minimumCommitment", "Minimum commitment"));

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance clients(StaffFrame frame, OperatorChoice choice, List<ClientRow> clients,
                List<Option> plans, NewClientForm form, String error);

        static native TemplateInstance client(StaffFrame frame, ClientDetail client, AccountForm account,
                String budget, List<PersonRow> people, InviteForm invite, String notice, String error,
                String errorSection);
    }

    @Inject
    ClientDesk desk;

    @Inject
    PeopleDirectory directory;

    @Inject
    Validator validator;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    @Context
    HttpHeaders headers;

    /** The chosen operator's clients with their currency, zone, plan and budget, and the form for a new one. */
    @GET
    public TemplateInstance clients(@RestQuery String operator) {
        OperatorChoice choice = OperatorChoice.of(operator, null, clock);
        return clientsPage(choice, NewClientForm.empty(), null);
    }

    /** Creates a client and opens its page; a refused form comes back with the reason and what was typed. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> create(@RestForm String operator, @RestForm String slug,
            @RestForm String name, @RestForm String currency, @RestForm String timeZone, @RestForm String pricePlan) {
        NewClientForm form = new NewClientForm(trim(slug), trim(name), trim(currency), trim(timeZone),
                trim(pricePlan));
        OperatorChoice choice = OperatorChoice.of(operator, null, clock);
        try {
            if (!choice.chosen()) {
                throw AdminException.invalid("Choose the operator the client belongs to.");
            }
            CreateClient request = new CreateClient(choice.operatorId(), form.slug(), form.name(),
                    upper(form.currency()), form.timeZone(), uuid("Price plan", form.pricePlan()));
            check(request);
            Client client = desk.create(request.operatorId(), request.slug(), request.name(), request.currency(),
                    request.timeZone(), request.pricePlanId());
            return RestResponse.seeOther(URI.create("/portal/operator/clients/" + client.id + "?done=created"));
        } catch (AdminException refusal) {
            return refused(refusal, clientsPage(choice, form, refusal.detail()));
        }
    }

    /** A client's billing account, budget, pricing and people. */
    @GET
    @Path("{id}")
    public TemplateInstance client(@RestPath UUID id, @RestQuery String done) {
        Client client = client(id);
        return clientPage(client, AccountForm.of(desk.account(id)), budgetText(id), InviteForm.empty(),
                done == null ? null : NOTICES.get(done), null, null);
    }

    /** Saves the billing account and tax rates; rows whose name and percent are both empty are left out. */
    @POST
    @Path("{id}/account")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> saveAccount(@RestPath UUID id, @RestForm String currency,
            @RestForm String timeZone, @RestForm String billingDay, @RestForm String paymentTermsDays,
            @RestForm String locale, @RestForm String contactName, @RestForm String contactEmail,
            @RestForm String billingAddress, @RestForm String purchaseOrder, @RestForm String minimumCommitment,
            @RestForm List<String> taxName, @RestForm List<String> taxPercent, @RestForm List<String> taxNote) {
        Client client = client(id);
        List<TaxRow> rows = taxRows(taxName, taxPercent, taxNote);
        AccountForm form = new AccountForm(trim(currency), trim(timeZone), trim(billingDay), trim(paymentTermsDays),
                trim(locale), trim(contactName), trim(contactEmail), orEmpty(billingAddress), trim(purchaseOrder),
                trim(minimumCommitment), withBlankRows(rows));
        try {
            List<TaxRateBody> rates = rows.stream().filter(row -> !row.name().isEmpty() || !row.percent().isEmpty())
                    .map(row -> new TaxRateBody(row.name(), decimalText("Tax rate " + row.position(), row.percent()),
                            row.note().isEmpty() ? null : row.note()))
                    .toList();
            BillingAccountUpdate request = new BillingAccountUpdate(upper(form.currency()), form.timeZone(),
                    whole("Billing day", form.billingDay()), whole("Payment terms", form.paymentTermsDays()),
                    form.locale(), form.contactName(), form.contactEmail(), form.billingAddress(),
                    form.purchaseOrder(), form.minimumCommitment().isEmpty() ? null : form.minimumCommitment(), rates);
            check(request);
            desk.updateAccount(id, request.currency(), request.timeZone(), request.terms(), caller.name());
            return done(id, "account");
        } catch (AdminException refusal) {
            return refused(refusal, clientPage(client, form, budgetText(id), InviteForm.empty(), null,
                    refusal.detail(), "account"));
        }
    }

    /** Sets the budget of one billing period, or removes it when the field is empty. */
    @POST
    @Path("{id}/budget")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> saveBudget(@RestPath UUID id, @RestForm String amount) {
        Client client = client(id);
        String typed = trim(amount);
        try {
            BigDecimal value = typed.isEmpty() ? null : new BigDecimal(decimalText("Budget", typed));
            desk.setBudget(id, value, caller.name());
            return done(id, "budget");
        } catch (AdminException refusal) {
            // The desk names the API's field; the page names its own.
            String reason = refusal.detail().startsWith("amount: ")
                    ? "Budget: " + refusal.detail().substring("amount: ".length()) + "." : refusal.detail();
            return refused(refusal, clientPage(client, AccountForm.of(desk.account(id)), typed, InviteForm.empty(),
                    null, reason, "budget"));
        }
    }

    /** Invites a person to the client in Keycloak, with the role chosen. */
    @POST
    @Path("{id}/people")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> invite(@RestPath UUID id, @RestForm String email,
            @RestForm String firstName, @RestForm String lastName, @RestForm String role) {
        Client client = client(id);
        InviteForm form = InviteForm.typed(email, firstName, lastName, role);
        try {
            PeopleForms.invite(directory, validator, id, form);
            return done(id, "invited");
        } catch (AdminException refusal) {
            return refused(refusal, clientPage(client, AccountForm.of(desk.account(id)), budgetText(id), form, null,
                    refusal.detail(), "people"));
        }
    }

    /** Removes a person: Keycloak disables the account and ends its sessions. 404 for another client's person. */
    @POST
    @Path("{id}/people/{personId}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<TemplateInstance> remove(@RestPath UUID id, @RestPath String personId) {
        client(id);
        directory.disable(id, personId)
                .orElseThrow(() -> new AdminException(AdminError.NOT_FOUND, "person " + personId + " does not exist"));
        return done(id, "removed");
    }

    private TemplateInstance clientsPage(OperatorChoice choice, NewClientForm form, String error) {
        List<ClientRow> rows = !choice.chosen() ? List.of() : Client.listByOperator(choice.operatorId()).stream()
                .map(this::row).toList();
        List<Option> plans = !choice.chosen() ? List.of()
                : PricePlan.<PricePlan>list("operatorId = ?1 order by name", choice.operatorId()).stream()
                        .map(plan -> new Option(plan.id.toString(), plan.name + " (" + plan.currency + ")"))
                        .toList();
        return Templates.clients(frame(), choice, rows, plans, form, error);
    }

    private TemplateInstance clientPage(Client client, AccountForm account, String budget, InviteForm invite,
            String notice, String error, String errorSection) {
        ClientDesk.Pricing pricing = desk.pricing(client.id);
        ViewerFormat format = new ViewerFormat(locale(), Currency.getInstance(client.currency), client.zoneId());
        String markup = pricing.markup() == null ? null : pricing.markup().percent().stripTrailingZeros()
                .toPlainString() + " % over cost since " + format.dateTime(pricing.markup().effectiveFrom());
        String stripe = desk.stripeCustomer(client.id).orElse(null);
        ClientDetail detail = new ClientDetail(client.id, client.name, client.slug, client.currency, client.timeZone,
                pricing.planName() + " (" + pricing.planCurrency() + ")", format.count(pricing.planPrices()),
                format.count(pricing.ownPrices()), markup, stripe,
                stripe == null ? null : "https://dashboard.stripe.com/customers/" + stripe,
                client.operatorId.toString());
        List<PersonRow> people = PeopleForms.rows(directory, client.id, null);
        return Templates.client(frame(), detail, account, budget, people, invite, notice, error, errorSection);
    }

    private ClientRow row(Client client) {
        ViewerFormat format = new ViewerFormat(locale(), Currency.getInstance(client.currency), client.zoneId());
        PricePlan plan = PricePlan.findById(client.pricePlanId);
        String budget = desk.budget(client.id).map(b -> format.money(b.amount())).orElse("none");
        return new ClientRow(client.id, client.name, client.slug, client.currency, client.timeZone, plan.name,
                budget);
    }

    private String budgetText(UUID clientId) {
        return desk.budget(clientId).map(b -> b.amount().toPlainString()).orElse("");
    }

    private Client client(UUID id) {
        return Client.<Client>findByIdOptional(id).orElseThrow(() -> AdminException.notFound("client", id));
    }

    private <T> void check(T request) {
        List<String> problems = new ArrayList<>();
        for (ConstraintViolation<T> violation : validator.validate(request)) {
            String path = violation.getPropertyPath().toString();
            String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
            String label = path.startsWith("taxRates[") ? "Tax rate " + (index(path) + 1) + " "
                    + LABELS.getOrDefault(field, field).toLowerCase(Locale.ROOT)
                    : LABELS.getOrDefault(field, field);
            problems.add(label + ": " + violation.getMessage() + ".");
        }
        if (!problems.isEmpty()) {
            throw AdminException.invalid(problems.stream().sorted().collect(Collectors.joining(" ")));
        }
    }

    private static int index(String path) {
        return Integer.parseInt(path.substring(path.indexOf('[') + 1, path.indexOf(']')));
    }

    private static RestResponse<TemplateInstance> done(UUID id, String done) {
        return RestResponse.seeOther(URI.create("/portal/operator/clients/" + id + "?done=" + done));
    }

    /** The page again with the reason, under the status the admin API would answer with. */
    private static RestResponse<TemplateInstance> refused(AdminException refusal, TemplateInstance page) {
        if (refusal.error() == AdminError.NOT_FOUND && refusal.detail().startsWith("client ")) {
            throw refusal;
        }
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(refusal.error().status()), page)
                .build();
    }

    private static List<TaxRow> taxRows(List<String> names, List<String> percents, List<String> notes) {
        int count = Math.max(size(names), Math.max(size(percents), size(notes)));
        List<TaxRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TaxRow row = new TaxRow(i + 1, at(names, i), at(percents, i), at(notes, i));
            if (!row.name().isEmpty() || !row.percent().isEmpty() || !row.note().isEmpty()) {
                rows.add(new TaxRow(rows.size() + 1, row.name(), row.percent(), row.note()));
            }
        }
        return rows;
    }

    static List<TaxRow> withBlankRows(List<TaxRow> rows) {
        List<TaxRow> all = new ArrayList<>(rows);
        for (int i = 0; i < BLANK_TAX_ROWS; i++) {
            all.add(new TaxRow(all.size() + 1, "", "", ""));
        }
        return all;
    }

    private static int size(List<String> values) {
        return values == null ? 0 : values.size();
    }

    private static String at(List<String> values, int i) {
        return values == null || i >= values.size() ? "" : trim(values.get(i));
    }

    private static String decimalText(String label, String text) {
        if (!text.matches("\\d{1,12}(\\.\\d{1,12})?")) {
            throw AdminException.invalid(label + ": write a plain number such as 250 or 19.5.");
        }
        return text;
    }

    private static Integer whole(String label, String text) {
        if (!text.matches("\\d{1,4}")) {
            throw AdminException.invalid(label + ": write a whole number of days.");
        }
        return Integer.valueOf(text);
    }

    private static UUID uuid(String label, String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw AdminException.invalid(label + ": choose one.");
        }
    }

    private static String upper(String text) {
        return text.toUpperCase(Locale.ROOT);
    }

    private static String trim(String text) {
        return text == null ? "" : text.strip();
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text.replace("\r\n", "\n").strip();
    }

    private StaffFrame frame() {
        return StaffFrame.of(caller, locale(), "clients");
    }

    private Locale locale() {
        return ViewerFormat.viewerLocale(headers.getAcceptableLanguages());
    }

    /** A client in the operator's list; the budget formatted in the client's currency. */
    public record ClientRow(UUID id, String name, String slug, String currency, String timeZone, String plan,
            String budget) {
    }

    /** A choice in a select: its value and its label. */
    public record Option(String value, String label) {
    }

    /** What was typed into the new-client form, shown again when it is refused. */
    public record NewClientForm(String slug, String name, String currency, String timeZone, String pricePlan) {

        static NewClientForm empty() {
            return new NewClientForm("", "", "", "UTC", "");
        }
    }

    /**
     * A client's facts and pricing, formatted for the viewer; pricing is read only here.
     *
     * @param markup the markup in force, for example "20 % over cost since …"; null if none
     * @param stripeCustomer Stripe's customer id ({@code cus_…}); null if the client is not collected through Stripe
     */
    public record ClientDetail(UUID id, String name, String slug, String currency, String timeZone, String plan,
            String planPrices, String ownPrices, String markup, String stripeCustomer, String stripeLink,
            String operatorId) {

        /** Where the people section's forms post. */
        public String peopleBase() {
            return "/portal/operator/clients/" + id + "/people";
        }
    }

    /** The billing account form's values, as stored or as typed. */
    public record AccountForm(String currency, String timeZone, String billingDay, String paymentTermsDays,
            String locale, String contactName, String contactEmail, String billingAddress, String purchaseOrder,
            String minimumCommitment, List<TaxRow> taxRates) {

        static AccountForm of(ClientAccount account) {
            BillingTerms terms = account.terms();
            List<TaxRow> rows = new ArrayList<>();
            terms.taxRates().forEach(rate -> rows.add(new TaxRow(rows.size() + 1, rate.name(),
                    rate.percent().stripTrailingZeros().toPlainString(),
                    rate.reverseChargeNote() == null ? "" : rate.reverseChargeNote())));
            return new AccountForm(account.currency().getCurrencyCode(), account.zone().getId(),
                    String.valueOf(terms.billingDay()), String.valueOf(terms.paymentTermsDays()),
                    terms.locale().toLanguageTag(), orEmpty(terms.contactName()), orEmpty(terms.contactEmail()),
                    orEmpty(terms.billingAddress()), orEmpty(terms.purchaseOrder()),
                    terms.minimumCommitment() == null ? "" : terms.minimumCommitment().toPlainString(),
                    withBlankRows(rows));
        }
    }

    /** One row of the tax-rate table, numbered from 1. */
    public record TaxRow(int position, String name, String percent, String note) {
    }
}

package io.tollbooth.portal.admin;

import io.tollbooth.billing.invoice.BillingTerms;
import io.tollbooth.billing.invoice.ClientAccount;
import io.tollbooth.billing.invoice.TaxRate;
import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.portal.tenant.ClientDesk;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Admin API for how a client is billed: its billing account (currency, time zone, billing day, payment terms,
 * locale, bill-to contact, purchase order, minimum commitment and tax rates, with the Stripe customer shown), its
 * budget per billing period, and a read-only summary of its pricing. Operators change them; finance reads them.
 */
@Path(AdminApi.V1 + "/clients/{clientId}")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClientAccountResource {

    @Inject
    ScopedRecords records;

    @Inject
    ClientDesk desk;

    @Inject
    Caller caller;

    @GET
    @Path("billing-account")
    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    @Transactional
    public BillingAccountView billingAccount(@RestPath UUID clientId) {
        ClientResource.visible(records, clientId);
        return view(desk.account(clientId));
    }

    /**
     * Replaces the client's billing account and tax rates (in the order given); drafts made or rebuilt afterwards
     * use them, issued invoices keep theirs. 400 for a value out of range; 409 {@code billing-refused} when the
     * billing day, currency or time zone may no longer change because the client has invoices.
     */
    @PUT
    @Path("billing-account")
    public BillingAccountView updateBillingAccount(@RestPath UUID clientId,
            @NotNull @Valid BillingAccountUpdate request) {
        ClientResource.visible(records, clientId);
        desk.updateAccount(clientId, request.currency(), request.timeZone(), request.terms(), caller.name());
        return billingAccount(clientId);
    }

    /** The budget of one billing period; {@code amount} is null when the client has none. */
    @GET
    @Path("budget")
    @RolesAllowed({Roles.OPERATOR, Roles.FINANCE})
    @Transactional
    public BudgetView budget(@RestPath UUID clientId) {
        String currency = ClientResource.visible(records, clientId).currency;
        return desk.budget(clientId).map(b -> new BudgetView(AdminApi.decimal(b.amount()), b.currency()))
                .orElse(new BudgetView(null, currency));
    }

    /**
     * Sets the budget of one billing period in the client's currency, or removes it with a null amount; the
     * gateway refuses the client's requests once the period's charge reaches it. 400 for an amount finer than the
     * currency's minor unit.
     */
    @PUT
    @Path("budget")
    public BudgetView setBudget(@RestPath UUID clientId, @NotNull @Valid BudgetUpdate request) {
        ClientResource.visible(records, clientId);
        desk.setBudget(clientId, request.amount() == null ? null : new BigDecimal(request.amount()), caller.name());
        return budget(clientId);
    }

    private BillingAccountView view(ClientAccount account) {
        BillingTerms terms = account.terms();
        return new BillingAccountView(account.clientId(), account.currency().getCurrencyCode(),
                account.zone().getId(), terms.billingDay(), terms.paymentTermsDays(), terms.locale().toLanguageTag(),
                terms.contactName(), terms.contactEmail(), terms.billingAddress(), terms.purchaseOrder(),
                AdminApi.decimal(terms.minimumCommitment()),
                terms.taxRates().stream().map(rate -> new TaxRateBody(rate.name(),
                        AdminApi.decimal(rate.percent()), rate.reverseChargeNote())).toList(),
                desk.stripeCustomer(account.clientId()).orElse(null));
    }

    /**
     * A client's billing account as the admin API shows it.
     *
     * @param billingDay the day of the month each period starts on, 1 to 28
     * @param locale how the client's invoices write amounts and dates, a BCP 47 tag such as {@code de-DE}
     * @param minimumCommitment the least a period is billed, a decimal string; null if none
     * @param stripeCustomerId the Stripe customer the client is collected through ({@code cus_…}); null if none
     */
    public record BillingAccountView(UUID clientId, String currency, String timeZone, int billingDay,
            int paymentTermsDays, String locale, String contactName, String contactEmail, String billingAddress,
            String purchaseOrder, String minimumCommitment, List<TaxRateBody> taxRates, String stripeCustomerId) {
    }

    /**
     * A tax rate of a client's invoices, applied once to the taxable subtotal.
     *
     * @param percent a decimal string from "0" to "100"
     * @param reverseChargeNote for a reverse charge (percent must be 0), the note printed instead of an amount
     */
    public record TaxRateBody(
            @NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = AdminApi.DECIMAL, message = AdminApi.DECIMAL_MESSAGE) String percent,
            @Size(max = 500) String reverseChargeNote) {
    }

    /** Body of {@code PUT /admin/v1/clients/{clientId}/billing-account}; the whole account, tax rates in order. */
    public record BillingAccountUpdate(
            @NotNull @CurrencyCode String currency,
            @NotNull @TimeZoneId String timeZone,
            @NotNull @Min(1) @Max(28) Integer billingDay,
            @NotNull @Min(0) @Max(365) Integer paymentTermsDays,
            @Size(max = 35) String locale,
            @Size(max = 200) String contactName,
            @Email @Size(max = 254) String contactEmail,
            @Size(max = 1000) String billingAddress,
            @Size(max = 100) String purchaseOrder,
            @Pattern(regexp = AdminApi.DECIMAL, message = AdminApi.DECIMAL_MESSAGE) String minimumCommitment,
            @Valid @Size(max = 10) List<TaxRateBody> taxRates) {

        /** The billing terms, en-US when no locale is given; blank texts count as none. */
        public BillingTerms terms() {
            List<TaxRate> rates = taxRates == null ? List.of() : taxRates.stream()
                    .map(rate -> new TaxRate(rate.name().strip(), new BigDecimal(rate.percent()),
                            blankToNull(rate.reverseChargeNote())))
                    .toList();
            return new BillingTerms(billingDay, paymentTermsDays,
                    blankToNull(locale) == null ? Locale.US : Locale.forLanguageTag(locale.strip()),
                    blankToNull(contactName), blankToNull(contactEmail), blankToNull(billingAddress),
                    blankToNull(purchaseOrder), minimumCommitment == null ? null : new BigDecimal(minimumCommitment),
                    rates);
        }

        private static String blankToNull(String text) {
            return text == null || text.isBlank() ? null : text.strip();
        }
    }

    /** A budget per billing period; amount null when there is none. */
    public record BudgetView(String amount, String currency) {
    }

    /** Body of {@code PUT /admin/v1/clients/{clientId}/budget}: a decimal string, or null for no budget. */
    public record BudgetUpdate(
            @Pattern(regexp = AdminApi.DECIMAL, message = AdminApi.DECIMAL_MESSAGE) String amount) {
    }

}

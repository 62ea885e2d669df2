package io.tollbooth.portal.tenant;

import io.agroal.api.AgroalDataSource;
import io.tollbooth.billing.invoice.BillingAccounts;
import io.tollbooth.billing.invoice.BillingError;
import io.tollbooth.billing.invoice.BillingException;
import io.tollbooth.billing.invoice.BillingTerms;
import io.tollbooth.billing.invoice.ClientAccount;
import io.tollbooth.billing.invoice.ClientAccounts;
import io.tollbooth.billing.money.CurrencyRounding;
import io.tollbooth.billing.payment.StripeCustomer;
import io.tollbooth.portal.admin.AdminError;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.pricing.PlanMoves;
import io.tollbooth.portal.pricing.PricePlan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What an operator does with a client's account, for the admin API and the operator's client pages alike: create
 * the client, change its billing account (currency, time zone, billing terms and tax rates), set its budget and read
 * how it is priced. Billing validates and writes the billing terms; this guards what billing does not own.
 */
@ApplicationScoped
public class ClientDesk {

    private static final Logger LOG = Logger.getLogger(ClientDesk.class);

    private static final String CURRENT_MARKUP = """
            SELECT markup_percent, effective_from FROM client_markup
             WHERE client_id = ? AND effective_from <= ?
             ORDER BY effective_from DESC, revision DESC LIMIT 1
            """;

    @Inject
    ClientAccounts accounts;

    @Inject
    BillingAccounts billingAccounts;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    PlanMoves planMoves;

    /**
     * Creates a client billed by a plan of the same operator and currency.
     *
     * @throws AdminException not found for an unknown operator or plan (or a plan of another operator), invalid when
     *     the currency is not the plan's, conflict when the operator already has a client with the slug
     */
    @Transactional
    public Client create(UUID operatorId, String slug, String name, String currency, String timeZone,
            UUID pricePlanId) {
        if (Operator.findByIdOptional(operatorId).isEmpty()) {
            throw AdminException.notFound("operator", operatorId);
        }
        PricePlan plan = PricePlan.<PricePlan>findByIdOptional(pricePlanId)
                .filter(p -> p.operatorId.equals(operatorId))
                .orElseThrow(() -> AdminException.notFound("price plan", pricePlanId));
        if (!plan.currency.equals(currency)) {
            throw AdminException.invalid("currency: must equal the price plan's currency " + plan.currency);
        }
        if (Client.findBySlug(operatorId, slug).isPresent()) {
            throw AdminException.conflict("the operator already has a client with slug '" + slug + "'");
        }
        Client client = new Client();
        client.id = UUID.randomUUID();
        client.operatorId = operatorId;
        client.slug = slug;
        client.name = name;
        client.currency = currency;
        client.timeZone = timeZone;
        client.pricePlanId = plan.id;
        client.createdAt = stored(clock.instant());
        client.persistAndFlush();

        LOG.infof("client_created operator=%s client=%s slug=%s", client.operatorId, client.id, client.slug);
        return client;
    }

    /** The client's billing account as billing reads it (defaults where none was written). */
    public ClientAccount account(UUID clientId) {
        return accounts.find(clientId).orElseThrow(() -> AdminException.notFound("client", clientId));
    }

    /**
     * Changes the client's currency, time zone, billing terms and tax rates in one transaction.
     *
     * <p>The currency is its price plan's, so it can only be the plan's; a currency or zone change is refused once
     * the client has an invoice, because its periods and amounts so far were made in the old ones.
     *
     * @throws AdminException invalid for a currency other than the plan's or a term billing refuses (the message
     *     says which), {@link AdminError#BILLING_REFUSED} for a currency, zone or billing day that may no longer
     *     change
     */
    @Transactional
    public ClientAccount updateAccount(UUID clientId, String currency, String timeZone, BillingTerms terms,
            String actor) {
        ClientAccount updated;
        try {
            updated = billingAccounts.update(clientId, terms);
        } catch (BillingException refusal) {
            throw refusal(refusal);
        }
        Client client = Client.findById(clientId);
        boolean currencyChanges = !client.currency.equals(currency);
        boolean zoneChanges = !client.timeZone.equals(timeZone);
        if (currencyChanges) {
            PricePlan plan = PricePlan.findById(client.pricePlanId);
            if (!plan.currency.equals(currency)) {
                throw AdminException.invalid("currency: must equal the price plan's currency " + plan.currency
                        + "; the plan " + plan.name + " prices this client");
            }
        }
        if ((currencyChanges || zoneChanges) && hasInvoices(clientId)) {
            throw new AdminException(AdminError.BILLING_REFUSED, "client " + client.slug + " already has invoices in "
                    + client.currency + " for periods in " + client.timeZone
                    + "; its currency and time zone can no longer change");
        }
        if (currencyChanges || zoneChanges) {
            client.currency = currency;
            client.timeZone = timeZone;
            client.flush();
            updated = account(clientId);
        }
        LOG.infof("client_account_updated client=%s currency=%s time_zone=%s by=%s", client.slug, currency, timeZone,
                actor);
        return updated;
    }

    /** The client's budget for one billing period, empty when it has none. */
    public Optional<Budget> budget(UUID clientId) {
        return Optional.ofNullable(ClientLimit.<ClientLimit>findById(clientId))
                .filter(limit -> limit.budgetAmount != null)
                .map(limit -> new Budget(limit.budgetAmount, limit.budgetCurrency.trim()));
    }

    /**
     * Sets the client's budget for one billing period in its currency, or removes it when {@code amount} is null.
     * The gateway refuses the client's requests once its charge of the period reaches the budget.
     *
     * @throws AdminException invalid for a negative amount or one finer than the currency's minor unit
     */
    @Transactional
    public Optional<Budget> setBudget(UUID clientId, BigDecimal amount, String actor) {
        Client client = Client.<Client>findByIdOptional(clientId)
                .orElseThrow(() -> AdminException.notFound("client", clientId));
        Currency currency = Currency.getInstance(client.currency);
        int digits = CurrencyRounding.minorUnitDigits(currency);
        if (amount != null && (amount.signum() < 0 || amount.stripTrailingZeros().scale() > digits)) {
            throw AdminException.invalid("amount: must be a non-negative amount with at most " + digits
                    + " decimals in " + client.currency);
        }
        ClientLimit limit = ClientLimit.<ClientLimit>findByIdOptional(clientId).orElseGet(() -> {
            ClientLimit created = new ClientLimit();
            created.clientId = clientId;
            return created;
        });
        limit.budgetAmount = amount;
        limit.budgetCurrency = amount == null ? null : client.currency;
        limit.updatedAt = stored(clock.instant());
        limit.persistAndFlush();
        LOG.infof("client_budget_set client=%s amount=%s currency=%s by=%s", client.slug,
                amount == null ? "none" : amount.toPlainString(), client.currency, actor);
        return budget(clientId);
    }

    /** The client's Stripe customer id, if it is collected through Stripe. */
    public Optional<String> stripeCustomer(UUID clientId) {
        return StripeCustomer.<StripeCustomer>findByIdOptional(clientId).map(customer -> customer.customerId);
    }

    /** How the client is priced now, read only: its plan, its markup in force and how many prices of its own. */
    public Pricing pricing(UUID clientId) {
        Client client = Client.<Client>findByIdOptional(clientId)
                .orElseThrow(() -> AdminException.notFound("client", clientId));
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            PricePlan plan = PricePlan.findById(planMoves.planAt(client, now));
            long planPrices = count(connection, "SELECT count(*) FROM price WHERE price_plan_id = ?", plan.id);
            long ownPrices = count(connection, "SELECT count(*) FROM client_price WHERE client_id = ?", clientId);
            Markup markup = null;
            try (PreparedStatement statement = connection.prepareStatement(CURRENT_MARKUP)) {
                statement.setObject(1, clientId);
                statement.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        markup = new Markup(rs.getBigDecimal(1), rs.getTimestamp(2).toInstant());
                    }
                }
            }
            return new Pricing(plan.id, plan.name, plan.currency, planPrices, ownPrices, markup);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the pricing of client " + clientId, e);
        }
    }

    private boolean hasInvoices(UUID clientId) {
        try (Connection connection = dataSource.getConnection()) {
            return count(connection, "SELECT count(*) FROM invoice WHERE client_id = ?", clientId) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the invoices of client " + clientId, e);
        }
    }

    private static long count(Connection connection, String sql, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static AdminException refusal(BillingException refusal) {
        AdminError error = switch (refusal.error()) {
            case CLIENT_NOT_FOUND -> AdminError.NOT_FOUND;
            case INVALID_BILLING_TERMS -> AdminError.INVALID_REQUEST;
            default -> AdminError.BILLING_REFUSED;
        };
        return new AdminException(error, refusal.getMessage(), Map.of("code", refusal.error().name()));
    }

    private static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** A budget for one billing period. */
    public record Budget(BigDecimal amount, String currency) {
    }

    /** A markup over the operator's cost in percent, in force from an instant. */
    public record Markup(BigDecimal percent, Instant effectiveFrom) {
    }

    /**
     * How a client is priced.
     *
     * @param planPrices the prices of the plan, every model, unit and effective date
     * @param ownPrices the client's own prices, which override the plan for their models
     * @param markup the markup in force now, which prices models that neither has; null if none
     */
    public record Pricing(UUID planId, String planName, String planCurrency, long planPrices, long ownPrices,
            Markup markup) {
    }
}

package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import io.tollbooth.billing.money.CurrencyRounding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writes a client's billing account and tax rates. Changes apply to drafts made or regenerated afterwards;
 * finalized invoices keep what they were issued with.
 */
@ApplicationScoped
public class BillingAccounts {

    private static final Logger LOG = Logger.getLogger(BillingAccounts.class);

    private static final String UPSERT = """
            INSERT INTO billing_account (client_id, billing_day, payment_terms_days, locale, contact_name,
                contact_email, billing_address, purchase_order, minimum_commitment, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET billing_day = EXCLUDED.billing_day,
                payment_terms_days = EXCLUDED.payment_terms_days, locale = EXCLUDED.locale,
                contact_name = EXCLUDED.contact_name, contact_email = EXCLUDED.contact_email,
                billing_address = EXCLUDED.billing_address, purchase_order = EXCLUDED.purchase_order,
                minimum_commitment = EXCLUDED.minimum_commitment, updated_at = EXCLUDED.updated_at
            """;

    private static final String INSERT_RATE = """
            INSERT INTO tax_rate (id, client_id, position, name, percent, reverse_charge_note)
            VALUES (?, ?, ?, ?, ?, ?)
            """;

    private final AgroalDataSource dataSource;
    private final ClientAccounts accounts;
    private final Clock clock;

    BillingAccounts(AgroalDataSource dataSource, ClientAccounts accounts, Clock clock) {
        this.dataSource = dataSource;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * Replaces the client's billing terms and tax rates.
     *
     * @return the client's account as it now is
     * @throws BillingException {@link BillingError#CLIENT_NOT_FOUND}; {@link BillingError#INVALID_BILLING_TERMS}
     *     if a value is out of range (the message says which); {@link BillingError#BILLING_DAY_LOCKED} if the
     *     billing day would change for a client that already has invoices, which would leave a gap or an overlap
     *     between its periods
     */
    @Transactional
    public ClientAccount update(UUID clientId, BillingTerms terms) {
        ClientAccount current = accounts.lockForClosing(clientId);
        validate(current, terms);
        if (terms.billingDay() != current.terms().billingDay() && hasInvoices(clientId)) {
            throw new BillingException(BillingError.BILLING_DAY_LOCKED, "client " + current.clientSlug()
                    + " already has invoices for periods starting on day " + current.terms().billingDay()
                    + "; its billing day cannot change to " + terms.billingDay());
        }

        Sql.update(dataSource, UPSERT, clientId, terms.billingDay(), terms.paymentTermsDays(),
                terms.locale().toLanguageTag(), terms.contactName(), terms.contactEmail(), terms.billingAddress(),
                terms.purchaseOrder(), terms.minimumCommitment(), clock.instant());
        Sql.update(dataSource, "DELETE FROM tax_rate WHERE client_id = ?", clientId);
        int position = 1;
        for (TaxRate rate : terms.taxRates()) {
            Sql.update(dataSource, INSERT_RATE, UUID.randomUUID(), clientId, position++, rate.name(), rate.percent(),
                    rate.reverseChargeNote());
        }

        LOG.infof("billing_account_updated client=%s billing_day=%d terms_days=%d tax_rates=%d", current.clientSlug(),
                terms.billingDay(), terms.paymentTermsDays(), terms.taxRates().size());
        return accounts.find(clientId).orElseThrow();
    }

    private boolean hasInvoices(UUID clientId) {
        return !Sql.query(dataSource, "SELECT 1 FROM invoice WHERE client_id = ? LIMIT 1", rs -> 1, clientId)
                .isEmpty();
    }

    private static void validate(ClientAccount account, BillingTerms terms) {
        if (terms.billingDay() < 1 || terms.billingDay() > BillingPeriod.MAX_BILLING_DAY) {
            throw invalid("billingDay must be between 1 and " + BillingPeriod.MAX_BILLING_DAY);
        }
        if (terms.paymentTermsDays() < 0 || terms.paymentTermsDays() > 365) {
            throw invalid("paymentTermsDays must be between 0 and 365");
        }
        checkLocale(terms.locale());
        BigDecimal commitment = terms.minimumCommitment();
        if (commitment != null && (commitment.signum() < 0
                || commitment.stripTrailingZeros().scale() > CurrencyRounding.minorUnitDigits(account.currency()))) {
            throw invalid("minimumCommitment must be a non-negative amount with at most "
                    + CurrencyRounding.minorUnitDigits(account.currency()) + " decimals in " + account.currency());
        }
        for (TaxRate rate : terms.taxRates()) {
            if (rate.percent().signum() < 0 || rate.percent().compareTo(BigDecimal.valueOf(100)) > 0) {
                throw invalid("tax rate " + rate.name() + " must be between 0 and 100 percent");
            }
            if (rate.reverseCharge() && rate.percent().signum() != 0) {
                throw invalid("tax rate " + rate.name() + " is a reverse charge and must be 0 percent");
            }
        }
    }

    private static void checkLocale(Locale locale) {
        try {
            new Locale.Builder().setLocale(locale).build();
        } catch (IllformedLocaleException e) {
            throw invalid("locale " + locale + " is not a BCP 47 language tag");
        }
        if (locale.getLanguage().isEmpty()) {
            throw invalid("locale must name a language, for example en-US or de-DE");
        }
    }

    private static BillingException invalid(String message) {
        return new BillingException(BillingError.INVALID_BILLING_TERMS, message);
    }
}

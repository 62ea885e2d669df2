package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import io.tollbooth.billing.money.CurrencyRounding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Currency;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A client's credit balance (table {@code credit_entry}): prepaid credit and credit notes add to it, finalized
 * invoices use it, voided invoices give back what they used. The balance is the sum of the entries, in the
 * client's currency, and never goes below zero: an invoice uses at most what is there.
 *
 * <p>Changes run under the client's row lock ({@link ClientAccounts#lockForClosing(UUID)}), so two invoices of
 * one client cannot both use the same credit.
 */
@ApplicationScoped
public class CreditBalance {

    private static final Logger LOG = Logger.getLogger(CreditBalance.class);

    /** Why the balance changed. */
    public enum Kind {
        /** Credit the client bought or was granted. */
        PREPAID,
        /** Credit a finalized invoice used; a negative entry. */
        APPLIED,
        /** Credit given back when the invoice that used it was voided. */
        RELEASED,
        /** Credit from a credit note. */
        CREDIT_NOTE
    }

    private static final String INSERT = """
            INSERT INTO credit_entry (client_id, kind, amount, currency, invoice_id, credit_note_id, note, created_by,
                created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private final AgroalDataSource dataSource;
    private final ClientAccounts accounts;
    private final Clock clock;

    CreditBalance(AgroalDataSource dataSource, ClientAccounts accounts, Clock clock) {
        this.dataSource = dataSource;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** The client's balance now, with its currency's decimals. */
    public BigDecimal of(UUID clientId, Currency currency) {
        BigDecimal sum = Sql.query(dataSource, "SELECT COALESCE(SUM(amount), 0) FROM credit_entry WHERE client_id = ?",
                rs -> rs.getBigDecimal(1), clientId).get(0);
        return CurrencyRounding.toMinorUnit(sum, currency);
    }

    /**
     * Adds prepaid credit to a client's balance.
     *
     * @param amount a positive amount in the client's currency, with no more decimals than it has
     * @param note what the credit is for, for people; may be null
     * @param actor who granted it
     * @return the balance afterwards
     * @throws BillingException {@link BillingError#CLIENT_NOT_FOUND} or {@link BillingError#INVALID_AMOUNT}
     */
    @Transactional
    public BigDecimal addPrepaid(UUID clientId, BigDecimal amount, String note, String actor) {
        ClientAccount account = accounts.lockForClosing(clientId);
        checkAmount(amount, account.currency());
        add(account, Kind.PREPAID, amount, null, null, note, actor);
        BigDecimal balance = of(clientId, account.currency());
        LOG.infof("credit_added client=%s amount=%s balance=%s currency=%s actor=%s", account.clientSlug(),
                amount.toPlainString(), balance.toPlainString(), account.currency(), actor);
        return balance;
    }

    /** Writes an entry in the caller's transaction, which must hold the client's lock. */
    @Transactional(Transactional.TxType.MANDATORY)
    void add(ClientAccount account, Kind kind, BigDecimal amount, UUID invoiceId, UUID creditNoteId, String note,
            String actor) {
        Sql.update(dataSource, INSERT, account.clientId(), kind.name(), amount, account.currency().getCurrencyCode(),
                invoiceId, creditNoteId, note, actor, clock.instant());
    }

    /**
     * Checks that an amount can be credited in a currency: positive, and already in its minor unit.
     *
     * @throws BillingException {@link BillingError#INVALID_AMOUNT} otherwise
     */
    static void checkAmount(BigDecimal amount, Currency currency) {
        int digits = CurrencyRounding.minorUnitDigits(currency);
        if (amount.signum() <= 0 || amount.stripTrailingZeros().scale() > digits) {
            throw new BillingException(BillingError.INVALID_AMOUNT, "amount " + amount.toPlainString()
                    + " must be positive with at most " + digits + " decimals in " + currency);
        }
    }
}

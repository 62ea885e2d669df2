package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads clients, their billing accounts and tax rates, and their operators for billing. The control plane owns
 * {@code client} and {@code operator}; {@link BillingAccounts} writes the billing account.
 */
@ApplicationScoped
public class ClientAccounts {

    // One round trip per account, tax rates included (in position order, as arrays). A client without a
    // billing_account row gets the column defaults of V260, the same as BillingTerms.DEFAULTS.
    private static final String SELECT_ACCOUNT = """
            SELECT c.id, c.slug, c.name, c.currency, c.time_zone,
                   o.id, o.slug, o.name, o.address, o.tax_id,
                   COALESCE(b.billing_day, 1), COALESCE(b.payment_terms_days, 30), COALESCE(b.locale, 'en-US'),
                   b.contact_name, b.contact_email, b.billing_address, b.purchase_order, b.minimum_commitment,
                   ARRAY(SELECT t.name FROM tax_rate t WHERE t.client_id = c.id ORDER BY t.position),
                   ARRAY(SELECT t.percent FROM tax_rate t WHERE t.client_id = c.id ORDER BY t.position),
                   ARRAY(SELECT t.reverse_charge_note FROM tax_rate t WHERE t.client_id = c.id ORDER BY t.position)
              FROM client c
              JOIN operator o ON o.id = c.operator_id
              LEFT JOIN billing_account b ON b.client_id = c.id
            """;

    // A client counts for a month if it existed before its period starting in that month ended, in its own zone.
    private static final String CLIENTS_OF_MONTH = """
            SELECT c.id FROM client c
              LEFT JOIN billing_account b ON b.client_id = c.id
             WHERE c.operator_id = ?
               AND c.created_at < ((make_date(?, ?, COALESCE(b.billing_day, 1)) + INTERVAL '1 month')::timestamp
                                   AT TIME ZONE c.time_zone)
             ORDER BY c.slug
            """;

    private final AgroalDataSource dataSource;

    ClientAccounts(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The client's account, if the client exists. */
    public Optional<ClientAccount> find(UUID clientId) {
        return queryOne(SELECT_ACCOUNT + " WHERE c.id = ?", clientId);
    }

    /**
     * The client's account, with the client row locked until the transaction ends, so that two closes or
     * finalizations of the same client run one after the other. {@code FOR NO KEY UPDATE} does not block
     * metering's inserts, whose foreign keys only take a key-share lock on the client.
     *
     * @throws BillingException {@link BillingError#CLIENT_NOT_FOUND} if there is no such client
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ClientAccount lockForClosing(UUID clientId) {
        return queryOne(SELECT_ACCOUNT + " WHERE c.id = ? FOR NO KEY UPDATE OF c", clientId)
                .orElseThrow(() -> new BillingException(BillingError.CLIENT_NOT_FOUND, "no client " + clientId));
    }

    /**
     * The ids of the operator's clients that existed before their period starting in {@code month} ended in their
     * own time zone, by slug. A client added later has nothing to bill for that period and gets no invoice for it.
     *
     * @throws BillingException {@link BillingError#OPERATOR_NOT_FOUND} if there is no such operator
     */
    public List<UUID> clientIdsOf(UUID operatorId, YearMonth month) {
        List<UUID> ids = Sql.query(dataSource, CLIENTS_OF_MONTH, rs -> rs.getObject(1, UUID.class), operatorId,
                month.getYear(), month.getMonthValue());
        if (ids.isEmpty() && Sql.query(dataSource, "SELECT 1 FROM operator WHERE id = ?", rs -> 1, operatorId)
                .isEmpty()) {
            throw new BillingException(BillingError.OPERATOR_NOT_FOUND, "no operator " + operatorId);
        }
        return ids;
    }

    private Optional<ClientAccount> queryOne(String sql, UUID id) {
        return Sql.query(dataSource, sql, ClientAccounts::account, id).stream().findFirst();
    }

    private static ClientAccount account(ResultSet rs) throws SQLException {
        BillingTerms terms = new BillingTerms(
                rs.getInt(11),
                rs.getInt(12),
                Locale.forLanguageTag(rs.getString(13)),
                rs.getString(14),
                rs.getString(15),
                rs.getString(16),
                rs.getString(17),
                rs.getBigDecimal(18),
                taxRates(rs));
        return new ClientAccount(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                Currency.getInstance(rs.getString(4).trim()),
                ZoneId.of(rs.getString(5)),
                rs.getObject(6, UUID.class),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                terms);
    }

    private static List<TaxRate> taxRates(ResultSet rs) throws SQLException {
        String[] names = (String[]) rs.getArray(19).getArray();
        BigDecimal[] percents = (BigDecimal[]) rs.getArray(20).getArray();
        String[] notes = (String[]) rs.getArray(21).getArray();
        List<TaxRate> rates = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            rates.add(new TaxRate(names[i], percents[i], notes[i]));
        }
        return List.copyOf(rates);
    }
}

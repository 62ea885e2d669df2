package io.tollbooth.billing.invoice;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads clients and their operators for billing; the control plane owns these tables and their changes. */
@ApplicationScoped
public class ClientAccounts {

    private static final String SELECT_ACCOUNT = """
            SELECT c.id, c.slug, c.name, c.currency, c.time_zone,
                   o.id, o.slug, o.name, o.address, o.tax_id
              FROM client c
              JOIN operator o ON o.id = c.operator_id
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
     * The client's account, with the client row locked until the transaction ends, so that two closes of the
     * same client run one after the other. {@code FOR NO KEY UPDATE} does not block metering's inserts, whose
     * foreign keys only take a key-share lock on the client.
     *
     * @throws BillingException {@link BillingError#CLIENT_NOT_FOUND} if there is no such client
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ClientAccount lockForClosing(UUID clientId) {
        return queryOne(SELECT_ACCOUNT + " WHERE c.id = ? FOR NO KEY UPDATE OF c", clientId)
                .orElseThrow(() -> new BillingException(BillingError.CLIENT_NOT_FOUND, "no client " + clientId));
    }

    /**
     * The ids of the operator's clients that existed before {@code month} ended in their own time zone, by slug.
     * A client added later has nothing to bill for that month and gets no invoice for it.
     *
     * @throws BillingException {@link BillingError#OPERATOR_NOT_FOUND} if there is no such operator
     */
    public List<UUID> clientIdsOf(UUID operatorId, YearMonth month) {
        LocalDateTime monthEnd = month.plusMonths(1).atDay(1).atStartOfDay();
        List<UUID> ids = Sql.query(dataSource, """
                SELECT id FROM client
                 WHERE operator_id = ? AND created_at < (?::timestamp AT TIME ZONE time_zone)
                 ORDER BY slug""", rs -> rs.getObject(1, UUID.class), operatorId, monthEnd);
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
                rs.getString(10));
    }
}

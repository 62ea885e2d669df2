package io.tollbooth.portal.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Admission limits of one client over all its keys ({@code client_limit}), which the gateway enforces. The control
 * plane writes only the budget; the rate limits are left as they are. A null limit is no limit.
 */
@Entity
@Table(name = "client_limit")
public class ClientLimit extends PanacheEntityBase {

    @Id
    @Column(name = "client_id")
    public UUID clientId;

    @Column(name = "requests_per_minute")
    public Integer requestsPerMinute;

    @Column(name = "tokens_per_minute")
    public Long tokensPerMinute;

    @Column(name = "max_in_flight")
    public Integer maxInFlight;

    /** The charge the client's requests may reach in one billing period, in {@link #budgetCurrency}. */
    @Column(name = "budget_amount")
    public BigDecimal budgetAmount;

    /** ISO 4217 code of the budget; null exactly when there is no budget. */
    @Column(name = "budget_currency", length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)
    public String budgetCurrency;

    @Column(name = "updated_at")
    public Instant updatedAt;
}

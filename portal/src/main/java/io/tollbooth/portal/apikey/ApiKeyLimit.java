package io.tollbooth.portal.apikey;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Admission limits of one API key, which the gateway enforces on top of its client's. A null limit is no limit; a
 * key without a row is limited only by its client.
 */
@Entity
@Table(name = "api_key_limit")
public class ApiKeyLimit extends PanacheEntityBase {

    @Id
    @Column(name = "api_key_id")
    public UUID apiKeyId;

    @Column(name = "requests_per_minute")
    public Integer requestsPerMinute;

    @Column(name = "tokens_per_minute")
    public Long tokensPerMinute;

    @Column(name = "max_in_flight")
    public Integer maxInFlight;

    /** The charge the key's requests may reach in one billing period (a calendar month of the client's zone). */
    @Column(name = "budget_amount")
    public BigDecimal budgetAmount;

    /** ISO 4217 code of the budget, the client's currency; null exactly when there is no budget. */
    @Column(name = "budget_currency", length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)
    public String budgetCurrency;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Optional<ApiKeyLimit> forKey(UUID apiKeyId) {
        return findByIdOptional(apiKeyId);
    }
}

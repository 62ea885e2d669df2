package io.tollbooth.portal.pricing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A named set of prices in one currency; clients are billed by exactly one plan. */
@Entity
@Table(name = "price_plan")
public class PricePlan extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "operator_id")
    public UUID operatorId;

    /** Unique within the operator. */
    public String name;

    /** ISO 4217 code of every price in the plan. */
    @Column(length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)
    public String currency;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<PricePlan> findByName(UUID operatorId, String name) {
        return find("operatorId = ?1 and name = ?2", operatorId, name).firstResultOptional();
    }
}

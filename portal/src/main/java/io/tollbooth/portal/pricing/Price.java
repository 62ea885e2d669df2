package io.tollbooth.portal.pricing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tollbooth.usage.event.TokenKind;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The price of one token kind of one model in a plan, valid from {@link #effectiveFrom} until the next price for
 * the same plan, model and kind. Prices are never updated: a change is a new row.
 */
@Entity
@Table(name = "price")
public class Price extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "price_plan_id")
    public UUID pricePlanId;

    @Column(name = "model_id")
    public UUID modelId;

    @Column(name = "token_kind")
    @Convert(converter = TokenKindConverter.class)
    public TokenKind tokenKind;

    /** Amount charged per 1,000,000 tokens, in {@link #currency}, at the precision it was entered. */
    @Column(name = "price_per_million")
    public BigDecimal pricePerMillion;

    @Column(length = 3)
    @JdbcTypeCode(SqlTypes.CHAR)
    public String currency;

    @Column(name = "effective_from")
    public Instant effectiveFrom;

    @Column(name = "created_at")
    public Instant createdAt;

    /** All prices of a plan, current, past and scheduled. */
    public static List<Price> listByPlan(UUID pricePlanId) {
        return list("pricePlanId", pricePlanId);
    }
}

package io.tollbooth.billing.invoice;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tollbooth.usage.event.TokenKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One line of an invoice (table {@code invoice_line}): one model, token kind and unit price, with the amount
 * rounded once from the sum of the full-precision rated amounts.
 */
@Entity
@Table(name = "invoice_line")
public class InvoiceLine extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "invoice_id", nullable = false)
    public Invoice invoice;

    /** 1-based position on the invoice. */
    @Column(name = "line_no", nullable = false)
    public int lineNo;

    @Column(name = "model", nullable = false)
    public String model;

    /** As stored: {@code input}, {@code cached_input}, {@code cache_write} or {@code output}. */
    @Column(name = "token_kind", nullable = false)
    public String tokenKind;

    @Column(name = "description", nullable = false)
    public String description;

    /** Tokens billed on this line. */
    @Column(name = "quantity", nullable = false)
    public long quantity;

    /** Unit price per 1,000,000 tokens, exactly as rated. */
    @Column(name = "price_per_million", nullable = false)
    public BigDecimal pricePerMillion;

    /** The line's amount, rounded once to the currency's minor unit. */
    @Column(name = "amount", nullable = false)
    public BigDecimal amount;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "currency", length = 3, nullable = false)
    public String currency;

    public TokenKind kind() {
        return TokenKind.ofCode(tokenKind);
    }
}

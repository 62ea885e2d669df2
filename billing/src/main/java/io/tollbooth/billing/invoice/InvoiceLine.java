package io.tollbooth.billing.invoice;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tollbooth.usage.event.TokenKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One line of an invoice (table {@code invoice_line}). A usage line is one model, unit (a token kind, requests or
 * audio seconds) and unit price, with the amount rounded once from the sum of the full-precision rated amounts; a
 * late-usage line is the same for one day of an earlier period; a minimum-commitment line has only a description
 * and an amount.
 */
@Entity
@Table(name = "invoice_line")
public class InvoiceLine extends PanacheEntityBase {

    // Fifty ids per call to the sequence (V287), so that a draft's lines are inserted in one batch.
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "invoice_line_id")
    @SequenceGenerator(name = "invoice_line_id", sequenceName = "invoice_line_id_seq", allocationSize = 50)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "invoice_id", nullable = false)
    public Invoice invoice;

    /** 1-based position on the invoice. */
    @Column(name = "line_no", nullable = false)
    public int lineNo;

    @Enumerated(EnumType.STRING)
    @Column(name = "line_type", nullable = false)
    public LineType type = LineType.USAGE;

    /** For late usage: the day, in the client's zone, the usage happened on; null otherwise. */
    @Column(name = "usage_date")
    public LocalDate usageDate;

    /** The model; null on a minimum-commitment line. */
    @Column(name = "model")
    public String model;

    /** The {@link LineUnit#code()}: {@code input}, ..., {@code request}, {@code audio_second}; null on a true-up. */
    @Column(name = "token_kind")
    public String unitCode;

    @Column(name = "description", nullable = false)
    public String description;

    /** Tokens, requests or seconds billed on this line; null on a minimum-commitment line. */
    @Column(name = "quantity")
    public Long quantity;

    /**
     * The unit price exactly as rated: per 1,000,000 tokens, per request or per second (see {@link #unit()}); null
     * on a minimum-commitment line. The column keeps the name it had when only tokens were billed.
     */
    @Column(name = "price_per_million")
    public BigDecimal unitPrice;

    /** The line's amount, rounded once to the currency's minor unit. */
    @Column(name = "amount", nullable = false)
    public BigDecimal amount;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "currency", length = 3, nullable = false)
    public String currency;

    /** What the line counts; null on a minimum-commitment line. */
    public LineUnit unit() {
        return unitCode == null ? null : LineUnit.ofCode(unitCode);
    }

    /** The token kind; null on a line of requests or audio seconds and on a minimum-commitment line. */
    public TokenKind kind() {
        return unitCode == null ? null : unit().tokenKind();
    }
}

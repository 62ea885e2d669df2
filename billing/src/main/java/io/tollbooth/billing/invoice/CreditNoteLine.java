package io.tollbooth.billing.invoice;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
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

/** One line of a credit note (table {@code credit_note_line}): what is credited and how much, before tax. */
@Entity
@Table(name = "credit_note_line")
public class CreditNoteLine extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "credit_note_id", nullable = false)
    public CreditNote creditNote;

    /** 1-based position on the credit note. */
    @Column(name = "line_no", nullable = false)
    public int lineNo;

    @Column(name = "description", nullable = false)
    public String description;

    /** Positive, in the currency's minor unit. */
    @Column(name = "amount", nullable = false)
    public BigDecimal amount;
}

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

/**
 * One tax of an invoice (table {@code invoice_tax}): the rate as it was when the invoice was drafted and its
 * amount, computed once on the taxable subtotal and rounded once.
 */
@Entity
@Table(name = "invoice_tax")
public class InvoiceTax extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "invoice_id", nullable = false)
    public Invoice invoice;

    /** 1-based, in the order of the client's tax rates. */
    @Column(name = "position", nullable = false)
    public int position;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "percent", nullable = false)
    public BigDecimal percent;

    /** The note printed instead of an amount for a reverse charge; null otherwise. */
    @Column(name = "reverse_charge_note")
    public String reverseChargeNote;

    /** The amount the rate applies to: the invoice's subtotal. */
    @Column(name = "taxable_amount", nullable = false)
    public BigDecimal taxableAmount;

    /** The tax, rounded once to the currency's minor unit; zero for a reverse charge. */
    @Column(name = "amount", nullable = false)
    public BigDecimal amount;

    public TaxRate rate() {
        return new TaxRate(name, percent, reverseChargeNote);
    }
}

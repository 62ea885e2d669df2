package io.tollbooth.billing.invoice;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A credit note (table {@code credit_note}): corrects an issued invoice in full or in part, with its own gapless
 * number per operator. Its total is credited to the client's balance. Immutable once issued.
 */
@Entity
@Table(name = "credit_note")
public class CreditNote extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "operator_id", nullable = false)
    public UUID operatorId;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Column(name = "invoice_id", nullable = false)
    public UUID invoiceId;

    @Column(name = "number", nullable = false)
    public String number;

    /** Day of issue in the client's zone. */
    @Column(name = "issue_date", nullable = false)
    public LocalDate issueDate;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "currency", length = 3, nullable = false)
    public String currency;

    /** Sum of the lines: the part of the invoice's subtotal credited. */
    @Column(name = "subtotal", nullable = false)
    public BigDecimal subtotal;

    /** The part of the invoice's tax credited. */
    @Column(name = "tax_total", nullable = false)
    public BigDecimal taxTotal;

    /** Subtotal plus tax: what the client's balance is credited with. */
    @Column(name = "total", nullable = false)
    public BigDecimal total;

    @Column(name = "reason", nullable = false)
    public String reason;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @OneToMany(mappedBy = "creditNote", cascade = CascadeType.PERSIST)
    @OrderBy("lineNo")
    public List<CreditNoteLine> lines = new ArrayList<>();

    /** The credit notes of an invoice, oldest first. */
    public static List<CreditNote> listForInvoice(UUID invoiceId) {
        return list("invoiceId = ?1 order by createdAt, number", invoiceId);
    }

    /** How many credit notes an invoice has. */
    public static long countForInvoice(UUID invoiceId) {
        return count("invoiceId", invoiceId);
    }

    /** Adds a line as the next one. */
    public void addLine(String description, BigDecimal amount) {
        CreditNoteLine line = new CreditNoteLine();
        line.creditNote = this;
        line.lineNo = lines.size() + 1;
        line.description = description;
        line.amount = amount;
        lines.add(line);
    }

    public Currency currency() {
        return Currency.getInstance(currency);
    }
}

package io.tollbooth.billing.invoice;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One client's bill for one period (table {@code invoice}). A period is invoiced once: UNIQUE(client_id,
 * period_start).
 *
 * <p>Amounts are already rounded to the currency's minor unit; read them for display through
 * {@link InvoiceView}, never from here. A draft shows the client's current account; finalization copies the
 * bill-to, issuer and terms into the snapshot fields, so an issued invoice never changes afterwards.
 */
@Entity
@Table(name = "invoice")
public class Invoice extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "operator_id", nullable = false)
    public UUID operatorId;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    /** Gapless per operator; null while a draft. */
    @Column(name = "number")
    public String number;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    public InvoiceStatus status;

    /** First day of the period, in {@link #timeZone}. */
    @Column(name = "period_start", nullable = false)
    public LocalDate periodStart;

    /** First day after the period (exclusive), in {@link #timeZone}. */
    @Column(name = "period_end", nullable = false)
    public LocalDate periodEnd;

    /** The client's zone when the period was closed; the period's instants are computed in it. */
    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "currency", length = 3, nullable = false)
    public String currency;

    /** Sum of the rounded line amounts: the taxable subtotal. */
    @Column(name = "subtotal", nullable = false)
    public BigDecimal subtotal;

    /** Sum of the taxes, each rounded once. */
    @Column(name = "tax_total", nullable = false)
    public BigDecimal taxTotal;

    /** Subtotal plus tax: what the period costs. */
    @Column(name = "total", nullable = false)
    public BigDecimal total;

    /** Prepaid credit used for this invoice; on a draft, what finalizing would use at the balance of now. */
    @Column(name = "credit_applied", nullable = false)
    public BigDecimal creditApplied;

    /** Total less credit applied; never below zero. */
    @Column(name = "amount_due", nullable = false)
    public BigDecimal amountDue;

    /** Day of issue in the client's zone; null while a draft. */
    @Column(name = "issue_date")
    public LocalDate issueDate;

    /** Issue date plus the payment terms; null while a draft. */
    @Column(name = "due_date")
    public LocalDate dueDate;

    /** Snapshot at finalization of the client's payment terms in days; null while a draft. */
    @Column(name = "payment_terms_days")
    public Integer paymentTermsDays;

    /** Snapshot of the client's locale (BCP 47); null while a draft. */
    @Column(name = "locale")
    public String locale;

    /** Snapshot of the client's purchase order number; null while a draft or if none. */
    @Column(name = "purchase_order")
    public String purchaseOrder;

    /** Snapshot of the client's name; null while a draft. */
    @Column(name = "bill_to_name")
    public String billToName;

    @Column(name = "bill_to_contact")
    public String billToContact;

    @Column(name = "bill_to_email")
    public String billToEmail;

    @Column(name = "bill_to_address")
    public String billToAddress;

    /** Snapshot of the operator's name; null while a draft. */
    @Column(name = "issuer_name")
    public String issuerName;

    @Column(name = "issuer_address")
    public String issuerAddress;

    @Column(name = "issuer_tax_id")
    public String issuerTaxId;

    @Column(name = "voided_at")
    public Instant voidedAt;

    @Column(name = "void_reason")
    public String voidReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finalized_at")
    public Instant finalizedAt;

    @OneToMany(mappedBy = "invoice", cascade = CascadeType.PERSIST, orphanRemoval = true)
    @OrderBy("lineNo")
    public List<InvoiceLine> lines = new ArrayList<>();

    @OneToMany(mappedBy = "invoice", cascade = CascadeType.PERSIST, orphanRemoval = true)
    @OrderBy("position")
    public List<InvoiceTax> taxes = new ArrayList<>();

    /** The client's invoice for the period starting on {@code periodStart}, if the period was closed. */
    public static Optional<Invoice> findForPeriod(UUID clientId, LocalDate periodStart) {
        return find("clientId = ?1 and periodStart = ?2", clientId, periodStart).firstResultOptional();
    }

    /** An operator's invoices for periods starting in {@code month}, by number (drafts last). */
    public static List<Invoice> listForOperatorMonth(UUID operatorId, YearMonth month) {
        return list("operatorId = ?1 and periodStart >= ?2 and periodStart < ?3 order by number, clientId",
                operatorId, month.atDay(1), month.plusMonths(1).atDay(1));
    }

    /** The client's invoice with the latest period, if it has any. */
    public static Optional<Invoice> findLatestOfClient(UUID clientId) {
        return find("clientId = ?1 order by periodStart desc", clientId).firstResultOptional();
    }

    /** An operator's invoices in a status, oldest period first, by client. */
    public static List<Invoice> listForOperator(UUID operatorId, InvoiceStatus status) {
        return list("operatorId = ?1 and status = ?2 order by periodStart, clientId", operatorId, status);
    }

    /** Adds a line as the next one. */
    public void addLine(InvoiceLine line) {
        line.invoice = this;
        line.lineNo = lines.size() + 1;
        lines.add(line);
    }

    /** Adds a tax as the next one. */
    public void addTax(InvoiceTax tax) {
        tax.invoice = this;
        tax.position = taxes.size() + 1;
        taxes.add(tax);
    }

    /** The period this invoice covers. */
    public BillingPeriod period() {
        return new BillingPeriod(periodStart, periodEnd, zone());
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    public Currency currency() {
        return Currency.getInstance(currency);
    }
}

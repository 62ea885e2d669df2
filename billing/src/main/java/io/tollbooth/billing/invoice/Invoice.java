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
 * {@link InvoiceView}, never from here.
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

    /** Sum of the rounded line amounts. */
    @Column(name = "subtotal", nullable = false)
    public BigDecimal subtotal;

    /** Amount due; equals the subtotal until tax and credits arrive (issue 5). */
    @Column(name = "total", nullable = false)
    public BigDecimal total;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finalized_at")
    public Instant finalizedAt;

    @OneToMany(mappedBy = "invoice", cascade = CascadeType.PERSIST)
    @OrderBy("lineNo")
    public List<InvoiceLine> lines = new ArrayList<>();

    /** The client's invoice for the period starting on {@code periodStart}, if the period was closed. */
    public static Optional<Invoice> findForPeriod(UUID clientId, LocalDate periodStart) {
        return find("clientId = ?1 and periodStart = ?2", clientId, periodStart).firstResultOptional();
    }

    /** An operator's invoices for periods starting on the first day of {@code month}, by number. */
    public static List<Invoice> listForOperatorMonth(UUID operatorId, YearMonth month) {
        return list("operatorId = ?1 and periodStart = ?2 order by number, clientId", operatorId, month.atDay(1));
    }

    /** Adds a line as the next one. */
    public void addLine(InvoiceLine line) {
        line.invoice = this;
        line.lineNo = lines.size() + 1;
        lines.add(line);
    }

    /** The period this invoice covers. */
    public BillingPeriod period() {
        return BillingPeriod.of(YearMonth.from(periodStart), zone());
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    public Currency currency() {
        return Currency.getInstance(currency);
    }
}

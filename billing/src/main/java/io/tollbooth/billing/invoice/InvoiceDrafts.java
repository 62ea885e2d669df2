package io.tollbooth.billing.invoice;

import io.tollbooth.billing.money.CurrencyRounding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hibernate.Session;

/**
 * Fills a draft invoice from the client's rated usage and billing terms, in this order (docs/billing.md):
 *
 * <ol>
 *   <li>one line per model, unit (token kind, requests, audio seconds) and unit price of the period's usage, each
 *       the sum of full-precision rated amounts rounded once;</li>
 *   <li>the minimum-commitment true-up, if the period's usage comes to less than the commitment;</li>
 *   <li>late usage of earlier invoiced periods, one line per day, model, unit and unit price;</li>
 *   <li>what re-rating found earlier issued invoices charged too little, one line per re-rating and invoice;</li>
 *   <li>the subtotal, the sum of the rounded lines, which is the taxable subtotal;</li>
 *   <li>tax, once per rate on the taxable subtotal, each rounded once;</li>
 *   <li>the total, subtotal plus tax;</li>
 *   <li>prepaid credit, at most the total, so the amount due never goes below zero.</li>
 * </ol>
 *
 * Credit on a draft is a preview at the balance of now; finalization applies it for good.
 */
@ApplicationScoped
public class InvoiceDrafts {

    private static final int JDBC_BATCH_SIZE = 50;

    private final RatedUsageTotals usage;
    private final RatingAdjustments adjustments;
    private final CreditBalance credit;

    InvoiceDrafts(RatedUsageTotals usage, RatingAdjustments adjustments, CreditBalance credit) {
        this.usage = usage;
        this.adjustments = adjustments;
        this.credit = credit;
    }

    /**
     * Fills a persisted draft with no lines, taxes or linked usage for the period, in the caller's transaction.
     *
     * @throws BillingException {@link BillingError#UNPRICED_USAGE} or {@link BillingError#CURRENCY_MISMATCH};
     *     the caller's transaction must then roll back
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void fill(Invoice invoice, ClientAccount account, BillingPeriod period) {
        refuseUnpricedUsage(account, period);
        // The lines and taxes are inserted when the transaction flushes: in batches, not one round trip each.
        Invoice.getEntityManager().unwrap(Session.class).setJdbcBatchSize(JDBC_BATCH_SIZE);

        usage.link(invoice.id, account.clientId(), period);
        List<LineTotal> own = usage.lineTotals(invoice.id, period);
        List<LineTotal> late = usage.lateLineTotals(invoice.id, period);
        refuseForeignCurrency(account, period, own);
        refuseForeignCurrency(account, period, late);

        Currency currency = account.currency();
        BigDecimal usageSubtotal = zero(currency);
        for (LineTotal total : own) {
            InvoiceLine line = usageLine(total, currency);
            invoice.addLine(line);
            usageSubtotal = usageSubtotal.add(line.amount);
        }
        trueUp(account, usageSubtotal).ifPresent(invoice::addLine);
        for (LineTotal total : late) {
            invoice.addLine(lateLine(total, currency));
        }
        for (RatingAdjustments.Debit debit : adjustments.takeDebits(invoice.id, account.clientId())) {
            refuseForeignCurrency(account, period, debit);
            InvoiceLine line = debit.line(currency);
            // A difference below half a minor unit is settled with this invoice but needs no line.
            if (line.amount.signum() > 0) {
                invoice.addLine(line);
            }
        }

        invoice.subtotal = invoice.lines.stream().map(l -> l.amount).reduce(zero(currency), BigDecimal::add);
        for (TaxRate rate : account.terms().taxRates()) {
            invoice.addTax(tax(rate, invoice.subtotal, currency));
        }
        invoice.taxTotal = invoice.taxes.stream().map(t -> t.amount).reduce(zero(currency), BigDecimal::add);
        invoice.total = invoice.subtotal.add(invoice.taxTotal);
        applyCredit(invoice, credit.of(account.clientId(), currency));
    }

    /** Uses as much of {@code balance} as the invoice's total needs, and sets the amount due. */
    static void applyCredit(Invoice invoice, BigDecimal balance) {
        invoice.creditApplied = balance.signum() <= 0 ? zero(invoice.currency()) : balance.min(invoice.total);
        invoice.amountDue = invoice.total.subtract(invoice.creditApplied);
    }

    private void refuseUnpricedUsage(ClientAccount account, BillingPeriod period) {
        List<RatedUsageTotals.UnpricedUsage> unpriced = usage.unpriced(account.clientId(), period);
        if (!unpriced.isEmpty()) {
            String perModel = unpriced.stream().map(u -> u.model() + " (" + u.events() + " events)")
                    .collect(Collectors.joining(", "));
            throw new BillingException(BillingError.UNPRICED_USAGE, "period " + period + " of client "
                    + account.clientSlug() + " has usage that could not be priced: " + perModel
                    + "; add the missing prices and re-rate the usage before closing");
        }
    }

    private static void refuseForeignCurrency(ClientAccount account, BillingPeriod period, List<LineTotal> totals) {
        Currency expected = account.currency();
        totals.stream().filter(t -> !t.currency().equals(expected)).findFirst().ifPresent(t -> {
            throw new BillingException(BillingError.CURRENCY_MISMATCH, "period " + period + " of client "
                    + account.clientSlug() + " has " + t.model() + " " + t.unit().code() + " usage rated in "
                    + t.currency() + " but the client is billed in " + expected);
        });
    }

    private static void refuseForeignCurrency(ClientAccount account, BillingPeriod period,
            RatingAdjustments.Debit debit) {
        if (!debit.currency().equals(account.currency())) {
            throw new BillingException(BillingError.CURRENCY_MISMATCH, "period " + period + " of client "
                    + account.clientSlug() + " would carry a re-rating of invoice " + debit.invoiceNumber() + " in "
                    + debit.currency() + " but the client is billed in " + account.currency());
        }
    }

    private static InvoiceLine usageLine(LineTotal total, Currency currency) {
        InvoiceLine line = new InvoiceLine();
        line.type = LineType.USAGE;
        line.model = total.model();
        line.unitCode = total.unit().code();
        line.description = total.unit().describe(total.model());
        line.quantity = total.quantity();
        line.unitPrice = total.unitPrice();
        // The one rounding of this line: the sum of full-precision amounts, never the amounts one by one.
        line.amount = CurrencyRounding.toMinorUnit(total.fullPrecisionAmount(), currency);
        line.currency = currency.getCurrencyCode();
        return line;
    }

    private static InvoiceLine lateLine(LineTotal total, Currency currency) {
        InvoiceLine line = usageLine(total, currency);
        line.type = LineType.LATE_USAGE;
        line.usageDate = total.usageDate();
        line.description = "Late usage of " + DateTimeFormatter.ISO_LOCAL_DATE.format(total.usageDate()) + ": "
                + line.description;
        return line;
    }

    // The commitment is a minimum for the period's own usage; late usage belongs to earlier periods.
    private static Optional<InvoiceLine> trueUp(ClientAccount account, BigDecimal usageSubtotal) {
        BigDecimal commitment = account.terms().minimumCommitment();
        if (commitment == null) {
            return Optional.empty();
        }
        Currency currency = account.currency();
        BigDecimal shortfall = CurrencyRounding.toMinorUnit(commitment, currency).subtract(usageSubtotal);
        if (shortfall.signum() <= 0) {
            return Optional.empty();
        }
        InvoiceLine line = new InvoiceLine();
        line.type = LineType.MINIMUM_COMMITMENT;
        line.description = "Minimum commitment true-up (commitment "
                + CurrencyRounding.toMinorUnit(commitment, currency).toPlainString() + " " + currency + ")";
        line.amount = shortfall;
        line.currency = currency.getCurrencyCode();
        return Optional.of(line);
    }

    private static InvoiceTax tax(TaxRate rate, BigDecimal taxable, Currency currency) {
        InvoiceTax tax = new InvoiceTax();
        tax.name = rate.name();
        tax.percent = rate.percent();
        tax.reverseChargeNote = rate.reverseChargeNote();
        tax.taxableAmount = taxable;
        // Once per rate on the whole taxable subtotal, never per line; a reverse charge is the client's to pay.
        tax.amount = rate.reverseCharge() ? zero(currency) : CurrencyRounding.percentOf(taxable, rate.percent(),
                currency);
        return tax;
    }

    private static BigDecimal zero(Currency currency) {
        return CurrencyRounding.toMinorUnit(BigDecimal.ZERO, currency);
    }
}

package io.tollbooth.billing.payment;

import io.tollbooth.billing.invoice.Invoice;
import io.tollbooth.billing.invoice.InvoiceLine;
import io.tollbooth.billing.invoice.InvoiceStatus;
import io.tollbooth.billing.invoice.InvoiceTax;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/**
 * A finalized invoice as it is pushed to Stripe, read once at the start of a push: the amount due and the charges
 * that add up to it (every line, every tax, and the prepaid credit applied as a negative charge). Charges of zero
 * are left out; they change nothing Stripe collects.
 *
 * @param id the invoice
 * @param number its number, for Stripe's descriptions
 * @param clientId the client billed
 * @param status the invoice's status when the push started
 * @param currency the invoice's currency
 * @param amountDue what is to be collected, rounded to the currency's minor unit
 * @param charges what the amount due is made of, in invoice order
 */
record CollectableInvoice(UUID id, String number, UUID clientId, InvoiceStatus status, Currency currency,
        BigDecimal amountDue, List<Charge> charges) {

    /**
     * One amount on the invoice, pushed as one Stripe invoice item.
     *
     * @param key stable within the invoice, part of the item's idempotency key: {@code line-3}, {@code tax-1},
     *     {@code credit}
     * @param description what the client reads on Stripe's invoice
     * @param amount the amount, already rounded; negative for the credit
     */
    record Charge(String key, String description, BigDecimal amount) {
    }

    /** The invoice as it is in the current persistence context. */
    static CollectableInvoice of(Invoice invoice) {
        List<Charge> charges = new ArrayList<>();
        for (InvoiceLine line : invoice.lines) {
            add(charges, "line-" + line.lineNo, line.description, line.amount);
        }
        for (InvoiceTax tax : invoice.taxes) {
            add(charges, "tax-" + tax.position, tax.name + " " + tax.percent.stripTrailingZeros().toPlainString()
                    + " %", tax.amount);
        }
        add(charges, "credit", "Prepaid credit applied", invoice.creditApplied.negate());
        return new CollectableInvoice(invoice.id, invoice.number, invoice.clientId, invoice.status,
                invoice.currency(), invoice.amountDue, List.copyOf(charges));
    }

    /** The sum of the charges, which equals the amount due on a consistent invoice. */
    BigDecimal chargesTotal() {
        return charges.stream().map(Charge::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static void add(List<Charge> charges, String key, String description, BigDecimal amount) {
        if (amount.signum() != 0) {
            charges.add(new Charge(key, description, amount));
        }
    }
}

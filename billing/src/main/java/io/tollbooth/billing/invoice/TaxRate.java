package io.tollbooth.billing.invoice;

import java.math.BigDecimal;

/**
 * A tax applied to a client's invoices, once on the taxable subtotal.
 *
 * @param name the tax as printed, for example "VAT 19%"
 * @param percent the rate in percent, for example {@code 19} or {@code 8.5}; 0 for reverse charge
 * @param reverseChargeNote for a reverse-charge rate the note printed instead of an amount, for example "VAT
 *     reverse charge: the recipient accounts for the VAT"; null for an ordinary rate
 */
public record TaxRate(String name, BigDecimal percent, String reverseChargeNote) {

    /** Whether the client accounts for this tax itself, so the invoice charges none and prints the note. */
    public boolean reverseCharge() {
        return reverseChargeNote != null;
    }
}

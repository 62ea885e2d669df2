package io.tollbooth.billing.invoice;

import io.tollbooth.usage.event.TokenKind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * An invoice as people and exports see it: every number both raw and already formatted. The PDF, the CSV exports
 * and the portal take their numbers from here, so they can never disagree. Built by {@link InvoiceViews}.
 *
 * @param id the invoice's id
 * @param number the invoice number; null while a draft
 * @param displayNumber the number, or "DRAFT" while there is none
 * @param status where the invoice is in its life
 * @param issuer the operator that issues the invoice
 * @param billTo the client billed
 * @param period the period invoiced
 * @param issueDate the day the invoice was finalized, in the client's zone; null while a draft
 * @param issueDateText the issue date as ISO-8601, or "not issued"
 * @param currency the ISO 4217 code of every amount
 * @param lines the invoice's lines, in order
 * @param subtotal the sum of the rounded line amounts
 * @param total the amount due
 */
public record InvoiceView(
        UUID id,
        String number,
        String displayNumber,
        InvoiceStatus status,
        Issuer issuer,
        BillTo billTo,
        Period period,
        LocalDate issueDate,
        String issueDateText,
        String currency,
        List<Line> lines,
        Amount subtotal,
        Amount total) {

    /**
     * The operator as printed on its invoices.
     *
     * @param name the operator's name
     * @param addressLines the postal address, one entry per line; empty if unknown
     * @param taxId the tax id; null if unknown
     */
    public record Issuer(String name, List<String> addressLines, String taxId) {
    }

    /**
     * The client billed.
     *
     * @param clientId the client's id
     * @param slug the client's short name, unique per operator
     * @param name the client's name
     */
    public record BillTo(UUID clientId, String slug, String name) {
    }

    /**
     * The period invoiced, in the client's zone.
     *
     * @param start the first day
     * @param end the first day after the period (exclusive)
     * @param lastDay the last day
     * @param timeZone the zone the days are in
     * @param text "2026-05-01 to 2026-05-31"
     */
    public record Period(LocalDate start, LocalDate end, LocalDate lastDay, String timeZone, String text) {
    }

    /**
     * A rounded amount.
     *
     * @param value the amount, with exactly the currency's decimals
     * @param text the amount for people: "0.38"
     * @param textWithCurrency the amount and its currency: "0.38 USD"
     */
    public record Amount(BigDecimal value, String text, String textWithCurrency) {
    }

    /**
     * One invoice line.
     *
     * @param lineNo 1-based position
     * @param model the model's name
     * @param kind the token kind
     * @param kindLabel the token kind for people: "Cached input"
     * @param quantity the tokens billed
     * @param quantityText the tokens with thousands separators: "150,000"
     * @param pricePerMillion the unit price per 1,000,000 tokens
     * @param pricePerMillionText the unit price for people, never rounded: "2.50", "0.275"
     * @param amount the line's amount, rounded once
     */
    public record Line(
            int lineNo,
            String model,
            TokenKind kind,
            String kindLabel,
            long quantity,
            String quantityText,
            BigDecimal pricePerMillion,
            String pricePerMillionText,
            Amount amount) {
    }
}

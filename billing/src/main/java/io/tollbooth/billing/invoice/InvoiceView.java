package io.tollbooth.billing.invoice;

import io.tollbooth.usage.event.TokenKind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * An invoice as people and exports see it: every number both raw and already formatted. The PDF, the admin API's
 * JSON and the CSV exports take their numbers from here, so they can never disagree. Built by {@link InvoiceViews}.
 *
 * <p>A draft shows the client's current account and a credit preview at the balance of now; an issued invoice
 * shows what it was issued with.
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
 * @param dueDate the issue date plus the payment terms; null while a draft
 * @param dueDateText the due date as ISO-8601, or "not issued"
 * @param paymentTermsDays days from issue to due date
 * @param termsText the terms for people: "Net 30 days", "Due on receipt"
 * @param currency the ISO 4217 code of every amount
 * @param locale the BCP 47 tag amounts are localized for, for example "de-DE"
 * @param lines the invoice's lines, in order
 * @param subtotal the sum of the rounded line amounts: the taxable subtotal
 * @param taxes one entry per tax rate, in order
 * @param taxTotal the sum of the taxes
 * @param total subtotal plus tax
 * @param creditApplied prepaid credit used for this invoice (a preview while a draft)
 * @param amountDue total less credit applied, never below zero
 * @param usageSummary the period's usage per model, for the PDF's summary page
 * @param creditNotes the credit notes issued against the invoice, oldest first
 * @param voidReason why the invoice was voided; null unless void
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
        LocalDate dueDate,
        String dueDateText,
        int paymentTermsDays,
        String termsText,
        String currency,
        String locale,
        List<Line> lines,
        Amount subtotal,
        List<Tax> taxes,
        Amount taxTotal,
        Amount total,
        Amount creditApplied,
        Amount amountDue,
        List<ModelUsage> usageSummary,
        List<CreditNoteRef> creditNotes,
        String voidReason) {

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
     * @param contactName the person or department addressed; null if none
     * @param contactEmail where the invoice is sent; null if none
     * @param addressLines the client's postal address, one entry per line; empty if unknown
     * @param purchaseOrder the client's purchase order number; null if none
     */
    public record BillTo(UUID clientId, String slug, String name, String contactName, String contactEmail,
            List<String> addressLines, String purchaseOrder) {
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
     * @param text the amount for machines and the CSV: "0.38"
     * @param textWithCurrency the amount and its currency code: "0.38 USD"
     * @param localized the amount for people in the client's locale: "$0.38", "1.234,50 €"
     */
    public record Amount(BigDecimal value, String text, String textWithCurrency, String localized) {
    }

    /**
     * One invoice line.
     *
     * @param lineNo 1-based position
     * @param type usage, late usage or the minimum-commitment true-up
     * @param description what the line bills, for people
     * @param model the model's name; null on a true-up
     * @param unit what the quantity counts (a token kind, requests, audio seconds); null on a true-up
     * @param unitLabel the unit for people: "Cached input tokens", "Requests"; empty on a true-up
     * @param quantity the tokens, requests or seconds billed; null on a true-up
     * @param quantityText the quantity with thousands separators: "150,000"; empty on a true-up
     * @param unitPrice the unit price as rated, per {@code pricedPer}; null on a true-up
     * @param unitPriceText the unit price for machines and people, never rounded: "2.50", "0.0015"; empty on a
     *     true-up
     * @param pricedPer what one unit price buys: "1M tokens", "request", "second"; empty on a true-up
     * @param usageDate for late usage, the day it happened in the client's zone; null otherwise
     * @param amount the line's amount, rounded once
     */
    public record Line(
            int lineNo,
            LineType type,
            String description,
            String model,
            LineUnit unit,
            String unitLabel,
            Long quantity,
            String quantityText,
            BigDecimal unitPrice,
            String unitPriceText,
            String pricedPer,
            LocalDate usageDate,
            Amount amount) {

        /** The token kind; null on a line of requests or audio seconds and on a true-up. */
        public TokenKind kind() {
            return unit == null ? null : unit.tokenKind();
        }

        /**
         * The unit price per 1,000,000 tokens; empty on any other line.
         *
         * @deprecated a line may bill requests or audio seconds: read {@link #unitPriceText()} with
         *     {@link #pricedPer()}
         */
        @Deprecated
        public String pricePerMillionText() {
            return kind() == null ? "" : unitPriceText;
        }
    }

    /**
     * One tax rate's tax.
     *
     * @param name the tax as printed, for example "VAT"
     * @param percent the rate in percent
     * @param label "VAT 19%", for people
     * @param reverseChargeNote printed instead of an amount for a reverse charge; null otherwise
     * @param taxableAmount the amount the rate applies to
     * @param amount the tax, rounded once; zero for a reverse charge
     */
    public record Tax(String name, BigDecimal percent, String label, String reverseChargeNote, Amount taxableAmount,
            Amount amount) {
    }

    /**
     * The period's usage of one model, for the usage summary.
     *
     * @param model the model's name
     * @param units per unit (token kinds, then requests and audio seconds), in that order
     * @param amount the model's usage lines added up
     */
    public record ModelUsage(String model, List<UnitUsage> units, Amount amount) {
    }

    /**
     * The period's usage of one unit of a model.
     *
     * @param unit a token kind, requests or audio seconds
     * @param unitLabel for people: "Cached input tokens", "Requests"
     * @param quantity tokens, requests or seconds
     * @param quantityText the quantity with thousands separators
     * @param amount the unit's usage lines added up
     */
    public record UnitUsage(LineUnit unit, String unitLabel, long quantity, String quantityText, Amount amount) {
    }

    /**
     * A credit note issued against the invoice.
     *
     * @param id the credit note's id
     * @param number its number, for example "CN-ACME-2026-000001"
     * @param issueDate its issue date in the client's zone
     * @param total what it credited, tax included
     */
    public record CreditNoteRef(UUID id, String number, LocalDate issueDate, Amount total) {
    }
}

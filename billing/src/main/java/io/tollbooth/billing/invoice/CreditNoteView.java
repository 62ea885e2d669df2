package io.tollbooth.billing.invoice;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A credit note as people and the admin API see it, with its amounts formatted like its invoice's. Built by
 * {@link InvoiceViews}.
 *
 * @param id the credit note's id
 * @param number its number, for example "CN-ACME-2026-000001"
 * @param invoiceId the invoice it corrects
 * @param invoiceNumber that invoice's number
 * @param clientId the client credited
 * @param issueDate the day it was issued, in the client's zone
 * @param currency the ISO 4217 code of every amount
 * @param reason why it was issued
 * @param lines what it credits, before tax
 * @param subtotal the lines added up
 * @param taxTotal the tax credited
 * @param total subtotal plus tax: what the client's credit balance received
 */
public record CreditNoteView(
        UUID id,
        String number,
        UUID invoiceId,
        String invoiceNumber,
        UUID clientId,
        LocalDate issueDate,
        String currency,
        String reason,
        List<Line> lines,
        InvoiceView.Amount subtotal,
        InvoiceView.Amount taxTotal,
        InvoiceView.Amount total) {

    /** One credited line, before tax. */
    public record Line(int lineNo, String description, InvoiceView.Amount amount) {
    }
}

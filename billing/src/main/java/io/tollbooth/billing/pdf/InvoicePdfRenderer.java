package io.tollbooth.billing.pdf;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import io.tollbooth.billing.invoice.InvoiceStatus;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.invoice.LineType;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Renders an invoice to PDF with OpenPDF: issuer with address and tax id; bill-to with contact, address and
 * purchase order; number, issue and due dates and terms; the lines; subtotal, tax per rate (or its reverse-charge
 * note), total, credit applied and the total due; then a usage summary page per model. Every number and amount is
 * taken already formatted from the {@link InvoiceView} (amounts in the client's locale), so the PDF, the admin API
 * and the CSV can never disagree.
 */
@ApplicationScoped
public class InvoicePdfRenderer {

    private static final float TITLE = 20;
    private static final float HEADING = 11;
    private static final float BODY = 10;
    private static final float SMALL = 8;
    private static final float TOTAL = 12;
    private static final Color RULE = new Color(0x99, 0x99, 0x99);
    private static final Color HEADER_FILL = new Color(0xEE, 0xEE, 0xEE);
    private static final float[] LINE_COLUMNS = {3.0f, 2.4f, 1.8f, 2.6f, 2.0f};
    private static final float[] SUMMARY_COLUMNS = {3.0f, 2.0f, 2.2f, 2.0f};

    /** The invoice as a PDF document. */
    public byte[] render(InvoiceView invoice) {
        ByteArrayOutputStream pdf = new ByteArrayOutputStream(16 * 1024);
        render(invoice, pdf);
        return pdf.toByteArray();
    }

    /**
     * Writes the invoice as a PDF document to {@code out}, which is left open.
     *
     * @throws com.lowagie.text.ExceptionConverter if writing to {@code out} fails
     */
    public void render(InvoiceView invoice, OutputStream out) {
        Document document = new Document(PageSize.A4, 50, 50, 50, 50);
        PdfWriter writer = PdfWriter.getInstance(document, out);
        writer.setCloseStream(false);
        document.addTitle("Invoice " + invoice.displayNumber());
        document.addCreator("Tollbooth");
        document.open();

        document.add(header(invoice));
        document.add(billTo(invoice));
        document.add(lines(invoice));
        document.add(totals(invoice));
        if (invoice.status() == InvoiceStatus.VOID) {
            document.add(paragraph(InvoiceFonts.bold("VOID: " + invoice.voidReason(), HEADING), 16));
        }
        for (InvoiceView.CreditNoteRef note : invoice.creditNotes()) {
            document.add(paragraph(InvoiceFonts.regular("Credit note " + note.number() + " of " + note.issueDate()
                    + ": " + note.total().localized(), BODY), 8));
        }
        document.add(paragraph(InvoiceFonts.regular("Usage is billed per model, unit and unit price. Each line's amount"
                + " is the sum of the period's rated usage, rounded once to the minor unit of " + invoice.currency()
                + "; each tax is computed once on the subtotal. Prepaid credit is applied after tax.", SMALL), 24));

        document.newPage();
        usageSummary(document, invoice);
        document.close();
    }

    private static PdfPTable header(InvoiceView invoice) {
        PdfPTable header = table(new float[] {1, 1});
        header.addCell(issuerCell(invoice.issuer()));

        PdfPCell details = cell(Element.ALIGN_RIGHT);
        details.addElement(right(InvoiceFonts.bold(title(invoice), TITLE)));
        details.addElement(right(InvoiceFonts.bold("Number: " + invoice.displayNumber(), HEADING)));
        details.addElement(right(InvoiceFonts.regular("Issue date: " + invoice.issueDateText(), BODY)));
        details.addElement(right(InvoiceFonts.regular("Due date: " + invoice.dueDateText(), BODY)));
        details.addElement(right(InvoiceFonts.regular("Terms: " + invoice.termsText(), BODY)));
        details.addElement(right(InvoiceFonts.regular("Period: " + invoice.period().text(), BODY)));
        details.addElement(right(InvoiceFonts.regular("Time zone: " + invoice.period().timeZone(), BODY)));
        details.addElement(right(InvoiceFonts.regular("Currency: " + invoice.currency(), BODY)));
        header.addCell(details);
        return header;
    }

    private static String title(InvoiceView invoice) {
        return switch (invoice.status()) {
            case DRAFT -> "DRAFT INVOICE";
            case VOID -> "VOID INVOICE";
            default -> "INVOICE";
        };
    }

    private static PdfPCell issuerCell(InvoiceView.Issuer issuer) {
        PdfPCell cell = cell(Element.ALIGN_LEFT);
        cell.addElement(left(InvoiceFonts.bold(issuer.name(), HEADING)));
        for (String line : issuer.addressLines()) {
            cell.addElement(left(InvoiceFonts.regular(line, BODY)));
        }
        if (issuer.taxId() != null) {
            cell.addElement(left(InvoiceFonts.regular("Tax ID: " + issuer.taxId(), BODY)));
        }
        return cell;
    }

    private static PdfPTable billTo(InvoiceView invoice) {
        InvoiceView.BillTo billTo = invoice.billTo();
        PdfPTable table = table(new float[] {1});
        table.setSpacingBefore(24);
        table.setSpacingAfter(16);
        PdfPCell cell = cell(Element.ALIGN_LEFT);
        cell.addElement(left(InvoiceFonts.regular("Bill to", SMALL)));
        cell.addElement(left(InvoiceFonts.bold(billTo.name(), HEADING)));
        if (billTo.contactName() != null) {
            cell.addElement(left(InvoiceFonts.regular("Attn: " + billTo.contactName(), BODY)));
        }
        for (String line : billTo.addressLines()) {
            cell.addElement(left(InvoiceFonts.regular(line, BODY)));
        }
        if (billTo.contactEmail() != null) {
            cell.addElement(left(InvoiceFonts.regular(billTo.contactEmail(), BODY)));
        }
        if (billTo.purchaseOrder() != null) {
            cell.addElement(left(InvoiceFonts.regular("PO number: " + billTo.purchaseOrder(), BODY)));
        }
        table.addCell(cell);
        return table;
    }

    private static PdfPTable lines(InvoiceView invoice) {
        PdfPTable lines = table(LINE_COLUMNS);
        lines.setHeaderRows(1);
        String currency = invoice.currency();
        headerCell(lines, "Model", Element.ALIGN_LEFT);
        headerCell(lines, "Usage", Element.ALIGN_LEFT);
        headerCell(lines, "Quantity", Element.ALIGN_RIGHT);
        headerCell(lines, "Unit price (" + currency + ")", Element.ALIGN_RIGHT);
        headerCell(lines, "Amount", Element.ALIGN_RIGHT);

        if (invoice.lines().isEmpty()) {
            PdfPCell none = bodyCell("No usage in this period.", Element.ALIGN_LEFT);
            none.setColspan(LINE_COLUMNS.length);
            lines.addCell(none);
        }
        for (InvoiceView.Line line : invoice.lines()) {
            if (line.unit() == null) { // a true-up or a re-rating: a description and an amount
                PdfPCell description = bodyCell(line.description(), Element.ALIGN_LEFT);
                description.setColspan(LINE_COLUMNS.length - 1);
                lines.addCell(description);
            } else {
                String model = line.type() == LineType.LATE_USAGE
                        ? line.model() + "\nlate usage of " + line.usageDate() : line.model();
                lines.addCell(bodyCell(model, Element.ALIGN_LEFT));
                lines.addCell(bodyCell(line.unitLabel(), Element.ALIGN_LEFT));
                lines.addCell(bodyCell(line.quantityText(), Element.ALIGN_RIGHT));
                lines.addCell(bodyCell(line.unitPriceText() + " per " + line.pricedPer(), Element.ALIGN_RIGHT));
            }
            lines.addCell(bodyCell(line.amount().localized(), Element.ALIGN_RIGHT));
        }
        return lines;
    }

    private static PdfPTable totals(InvoiceView invoice) {
        PdfPTable totals = table(new float[] {3, 1.4f});
        totals.setWidthPercentage(70);
        totals.setHorizontalAlignment(Element.ALIGN_RIGHT);
        totals.setSpacingBefore(12);
        totalRow(totals, "Subtotal", invoice.subtotal().localized(), BODY, false);
        for (InvoiceView.Tax tax : invoice.taxes()) {
            totalRow(totals, tax.label(), tax.amount().localized(), BODY, false);
            if (tax.reverseChargeNote() != null) {
                PdfPCell note = textCell(InvoiceFonts.regular(tax.reverseChargeNote(), SMALL), Element.ALIGN_LEFT);
                note.setColspan(2);
                totals.addCell(note);
            }
        }
        totalRow(totals, "Total", invoice.total().localized(), BODY, false);
        totalRow(totals, "Credits applied", invoice.creditApplied().localized(), BODY, false);
        totalRow(totals, "Total due", invoice.amountDue().localized(), TOTAL, true);
        return totals;
    }

    private static void totalRow(PdfPTable totals, String label, String amount, float size, boolean bold) {
        totals.addCell(textCell(bold ? InvoiceFonts.bold(label, size) : InvoiceFonts.regular(label, size),
                Element.ALIGN_LEFT));
        totals.addCell(textCell(bold ? InvoiceFonts.bold(amount, size) : InvoiceFonts.regular(amount, size),
                Element.ALIGN_RIGHT));
    }

    // One table for all models, so many small models fill pages instead of starting a block each.
    private static void usageSummary(Document document, InvoiceView invoice) {
        document.add(left(InvoiceFonts.bold("Usage summary", TITLE)));
        document.add(left(InvoiceFonts.regular(invoice.displayNumber() + ", " + invoice.billTo().name() + ", "
                + invoice.period().text() + " (" + invoice.period().timeZone() + ")", BODY)));
        if (invoice.usageSummary().isEmpty()) {
            document.add(paragraph(InvoiceFonts.regular("No usage in this period.", BODY), 16));
            return;
        }
        PdfPTable table = table(SUMMARY_COLUMNS);
        table.setSpacingBefore(16);
        table.setHeaderRows(1);
        headerCell(table, "Model", Element.ALIGN_LEFT);
        headerCell(table, "Usage", Element.ALIGN_LEFT);
        headerCell(table, "Quantity", Element.ALIGN_RIGHT);
        headerCell(table, "Amount", Element.ALIGN_RIGHT);
        for (InvoiceView.ModelUsage model : invoice.usageSummary()) {
            boolean first = true;
            for (InvoiceView.UnitUsage unit : model.units()) {
                table.addCell(bodyCell(first ? model.model() : "", Element.ALIGN_LEFT));
                table.addCell(bodyCell(unit.unitLabel(), Element.ALIGN_LEFT));
                table.addCell(bodyCell(unit.quantityText(), Element.ALIGN_RIGHT));
                table.addCell(bodyCell(unit.amount().localized(), Element.ALIGN_RIGHT));
                first = false;
            }
            PdfPCell label = textCell(InvoiceFonts.bold("Total " + model.model(), BODY), Element.ALIGN_LEFT);
            label.setColspan(3);
            table.addCell(label);
            table.addCell(textCell(InvoiceFonts.bold(model.amount().localized(), BODY), Element.ALIGN_RIGHT));
        }
        document.add(table);
    }

    private static PdfPTable table(float[] widths) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        return table;
    }

    private static PdfPCell cell(int alignment) {
        PdfPCell cell = new PdfPCell();
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setHorizontalAlignment(alignment);
        return cell;
    }

    private static void headerCell(PdfPTable table, String text, int alignment) {
        PdfPCell cell = textCell(InvoiceFonts.bold(text, HEADING), alignment);
        cell.setBackgroundColor(HEADER_FILL);
        cell.setBorder(Rectangle.BOTTOM);
        cell.setBorderColor(RULE);
        table.addCell(cell);
    }

    private static PdfPCell bodyCell(String text, int alignment) {
        PdfPCell cell = textCell(InvoiceFonts.regular(text, BODY), alignment);
        cell.setBorder(Rectangle.BOTTOM);
        cell.setBorderColor(RULE);
        return cell;
    }

    private static PdfPCell textCell(Phrase text, int alignment) {
        PdfPCell cell = new PdfPCell(text);
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setHorizontalAlignment(alignment);
        cell.setPadding(4);
        return cell;
    }

    private static Paragraph left(Phrase text) {
        return aligned(text, Element.ALIGN_LEFT);
    }

    private static Paragraph right(Phrase text) {
        return aligned(text, Element.ALIGN_RIGHT);
    }

    private static Paragraph paragraph(Phrase text, float spacingBefore) {
        Paragraph paragraph = left(text);
        paragraph.setSpacingBefore(spacingBefore);
        return paragraph;
    }

    private static Paragraph aligned(Phrase text, int alignment) {
        Paragraph paragraph = new Paragraph(text);
        paragraph.setAlignment(alignment);
        return paragraph;
    }
}

package io.tollbooth.billing.pdf;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import io.tollbooth.billing.invoice.InvoiceView;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Renders an invoice to PDF with OpenPDF: issuer, bill-to, number, period, issue date, the lines, subtotal and
 * total due. Every number is taken already formatted from the {@link InvoiceView}.
 */
@ApplicationScoped
public class InvoicePdfRenderer {

    private static final Font TITLE = InvoiceFonts.bold(20);
    private static final Font HEADING = InvoiceFonts.bold(11);
    private static final Font BODY = InvoiceFonts.regular(10);
    private static final Font SMALL = InvoiceFonts.regular(8);
    private static final Font TOTAL = InvoiceFonts.bold(12);
    private static final Color RULE = new Color(0x99, 0x99, 0x99);
    private static final Color HEADER_FILL = new Color(0xEE, 0xEE, 0xEE);
    private static final float[] LINE_COLUMNS = {3.0f, 2.0f, 2.2f, 2.2f, 2.0f};

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
        document.add(footnote(invoice));

        document.close();
    }

    private static PdfPTable header(InvoiceView invoice) {
        PdfPTable header = table(new float[] {1, 1});
        header.addCell(issuerCell(invoice.issuer()));

        PdfPCell details = cell(Element.ALIGN_RIGHT);
        details.addElement(paragraph("INVOICE", TITLE, Element.ALIGN_RIGHT));
        details.addElement(paragraph("Number: " + invoice.displayNumber(), HEADING, Element.ALIGN_RIGHT));
        details.addElement(paragraph("Issue date: " + invoice.issueDateText(), BODY, Element.ALIGN_RIGHT));
        details.addElement(paragraph("Period: " + invoice.period().text(), BODY, Element.ALIGN_RIGHT));
        details.addElement(paragraph("Time zone: " + invoice.period().timeZone(), BODY, Element.ALIGN_RIGHT));
        details.addElement(paragraph("Currency: " + invoice.currency(), BODY, Element.ALIGN_RIGHT));
        header.addCell(details);
        return header;
    }

    private static PdfPCell issuerCell(InvoiceView.Issuer issuer) {
        PdfPCell cell = cell(Element.ALIGN_LEFT);
        cell.addElement(paragraph(issuer.name(), HEADING, Element.ALIGN_LEFT));
        for (String line : issuer.addressLines()) {
            cell.addElement(paragraph(line, BODY, Element.ALIGN_LEFT));
        }
        if (issuer.taxId() != null) {
            cell.addElement(paragraph("Tax ID: " + issuer.taxId(), BODY, Element.ALIGN_LEFT));
        }
        return cell;
    }

    private static PdfPTable billTo(InvoiceView invoice) {
        PdfPTable billTo = table(new float[] {1});
        billTo.setSpacingBefore(24);
        billTo.setSpacingAfter(16);
        PdfPCell cell = cell(Element.ALIGN_LEFT);
        cell.addElement(paragraph("Bill to", SMALL, Element.ALIGN_LEFT));
        cell.addElement(paragraph(invoice.billTo().name(), HEADING, Element.ALIGN_LEFT));
        billTo.addCell(cell);
        return billTo;
    }

    private static PdfPTable lines(InvoiceView invoice) {
        PdfPTable lines = table(LINE_COLUMNS);
        lines.setHeaderRows(1);
        String currency = invoice.currency();
        headerCell(lines, "Model", Element.ALIGN_LEFT);
        headerCell(lines, "Token kind", Element.ALIGN_LEFT);
        headerCell(lines, "Quantity (tokens)", Element.ALIGN_RIGHT);
        headerCell(lines, "Unit price per 1M tokens (" + currency + ")", Element.ALIGN_RIGHT);
        headerCell(lines, "Amount (" + currency + ")", Element.ALIGN_RIGHT);

        if (invoice.lines().isEmpty()) {
            PdfPCell none = bodyCell("No usage in this period.", Element.ALIGN_LEFT);
            none.setColspan(LINE_COLUMNS.length);
            lines.addCell(none);
        }
        for (InvoiceView.Line line : invoice.lines()) {
            lines.addCell(bodyCell(line.model(), Element.ALIGN_LEFT));
            lines.addCell(bodyCell(line.kindLabel(), Element.ALIGN_LEFT));
            lines.addCell(bodyCell(line.quantityText(), Element.ALIGN_RIGHT));
            lines.addCell(bodyCell(line.pricePerMillionText(), Element.ALIGN_RIGHT));
            lines.addCell(bodyCell(line.amount().text(), Element.ALIGN_RIGHT));
        }
        return lines;
    }

    private static PdfPTable totals(InvoiceView invoice) {
        PdfPTable totals = table(new float[] {3, 1});
        totals.setWidthPercentage(60);
        totals.setHorizontalAlignment(Element.ALIGN_RIGHT);
        totals.setSpacingBefore(12);
        totals.addCell(textCell("Subtotal", BODY, Element.ALIGN_LEFT));
        totals.addCell(textCell(invoice.subtotal().textWithCurrency(), BODY, Element.ALIGN_RIGHT));
        totals.addCell(textCell("Total due", TOTAL, Element.ALIGN_LEFT));
        totals.addCell(textCell(invoice.total().textWithCurrency(), TOTAL, Element.ALIGN_RIGHT));
        return totals;
    }

    private static Paragraph footnote(InvoiceView invoice) {
        Paragraph note = paragraph("Usage is billed per model and token kind. Each line's amount is the sum of the"
                + " period's rated usage, rounded once to the minor unit of " + invoice.currency() + ".", SMALL,
                Element.ALIGN_LEFT);
        note.setSpacingBefore(24);
        return note;
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
        PdfPCell cell = textCell(text, HEADING, alignment);
        cell.setBackgroundColor(HEADER_FILL);
        cell.setBorder(Rectangle.BOTTOM);
        cell.setBorderColor(RULE);
        table.addCell(cell);
    }

    private static PdfPCell bodyCell(String text, int alignment) {
        PdfPCell cell = textCell(text, BODY, alignment);
        cell.setBorder(Rectangle.BOTTOM);
        cell.setBorderColor(RULE);
        return cell;
    }

    private static PdfPCell textCell(String text, Font font, int alignment) {
        PdfPCell cell = new PdfPCell(new Phrase(text, font));
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setHorizontalAlignment(alignment);
        cell.setPadding(4);
        return cell;
    }

    private static Paragraph paragraph(String text, Font font, int alignment) {
        Paragraph paragraph = new Paragraph(text, font);
        paragraph.setAlignment(alignment);
        return paragraph;
    }
}

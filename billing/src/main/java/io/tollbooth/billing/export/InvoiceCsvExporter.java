package io.tollbooth.billing.export;

import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.invoice.InvoiceViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.Writer;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Exports an operator's invoices of a month as CSV: the invoice register, one row per invoice, and the invoice
 * lines, one row per line. Every number comes from {@link InvoiceView}, so the exports, the PDF and the admin API
 * agree to the cent, and the lines of an invoice add up to its subtotal.
 */
@ApplicationScoped
public class InvoiceCsvExporter {

    /**
     * The columns, in order. {@code period_end} is the last day of the period; {@code total} is subtotal plus tax,
     * {@code amount_due} is total less credit applied. A draft has an empty number and issue date.
     */
    public static final String[] HEADER = {"number", "status", "client", "client_name", "period_start",
        "period_end", "issue_date", "due_date", "currency", "subtotal", "tax", "total", "credit_applied",
        "amount_due"};

    /**
     * The columns of the line export, in order. {@code unit} is a token kind ({@code input}, ...), {@code request}
     * or {@code audio_second}; {@code unit_price} is the price of what {@code priced_per} says ({@code 1M tokens},
     * {@code request}, {@code second}). {@code usage_date} is set on late usage only; model, unit, quantity and
     * prices are empty on a minimum-commitment true-up. {@code amount} is the line's amount, rounded once.
     */
    public static final String[] LINE_HEADER = {"number", "status", "client", "line_no", "line_type", "description",
        "model", "unit", "usage_date", "quantity", "unit_price", "priced_per", "amount", "currency"};

    private final InvoiceViews views;

    InvoiceCsvExporter(InvoiceViews views) {
        this.views = views;
    }

    /**
     * Writes the operator's invoices for periods starting in {@code month}, by number (drafts last): a header row,
     * then one row per invoice. The writer is flushed, not closed.
     *
     * @return the number of invoices written; an operator without invoices (or unknown) gives just the header
     * @throws IOException if writing fails
     */
    public int writeSummary(UUID operatorId, YearMonth month, Writer out) throws IOException {
        List<InvoiceView> invoices = views.forOperatorMonth(operatorId, month);
        CSVPrinter printer = CSVFormat.DEFAULT.builder().setHeader(HEADER).get().print(out);
        for (InvoiceView invoice : invoices) {
            printer.printRecord(
                    CsvCells.text(invoice.number()),
                    invoice.status(),
                    CsvCells.text(invoice.billTo().slug()),
                    CsvCells.text(invoice.billTo().name()),
                    invoice.period().start(),
                    invoice.period().lastDay(),
                    invoice.issueDate(),
                    invoice.dueDate(),
                    invoice.currency(),
                    invoice.subtotal().text(),
                    invoice.taxTotal().text(),
                    invoice.total().text(),
                    invoice.creditApplied().text(),
                    invoice.amountDue().text());
        }
        printer.flush();
        return invoices.size();
    }

    /**
     * Writes the lines of the operator's invoices for periods starting in {@code month}, invoices by number (drafts
     * last) and lines in order: a header row, then one row per line. The writer is flushed, not closed.
     *
     * @return the number of lines written
     * @throws IOException if writing fails
     */
    public int writeLines(UUID operatorId, YearMonth month, Writer out) throws IOException {
        CSVPrinter printer = CSVFormat.DEFAULT.builder().setHeader(LINE_HEADER).get().print(out);
        int lines = 0;
        for (InvoiceView invoice : views.forOperatorMonth(operatorId, month)) {
            for (InvoiceView.Line line : invoice.lines()) {
                printer.printRecord(
                        CsvCells.text(invoice.number()),
                        invoice.status(),
                        CsvCells.text(invoice.billTo().slug()),
                        line.lineNo(),
                        line.type(),
                        CsvCells.text(line.description()),
                        CsvCells.text(line.model()),
                        line.unit() == null ? null : line.unit().code(),
                        line.usageDate(),
                        line.quantity(),
                        line.unitPrice() == null ? null : line.unitPriceText(),
                        line.unitPrice() == null ? null : line.pricedPer(),
                        line.amount().text(),
                        invoice.currency());
                lines++;
            }
        }
        printer.flush();
        return lines;
    }
}

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

/** Exports an operator's invoices of a month as CSV, one row per invoice, numbers from {@link InvoiceView}. */
@ApplicationScoped
public class InvoiceCsvExporter {

    /** The columns, in order. {@code period_end} is the last day of the period. */
    public static final String[] HEADER = {"number", "client", "client_name", "period_start", "period_end",
        "currency", "total"};

    private final InvoiceViews views;

    InvoiceCsvExporter(InvoiceViews views) {
        this.views = views;
    }

    /**
     * Writes the operator's invoices for periods starting on the first day of {@code month}, by number: a header
     * row, then one row per invoice. The writer is flushed, not closed.
     *
     * @return the number of invoices written; an operator without invoices (or unknown) gives just the header
     * @throws IOException if writing fails
     */
    public int writeSummary(UUID operatorId, YearMonth month, Writer out) throws IOException {
        List<InvoiceView> invoices = views.forOperatorMonth(operatorId, month);
        CSVPrinter printer = CSVFormat.DEFAULT.builder().setHeader(HEADER).get().print(out);
        for (InvoiceView invoice : invoices) {
            printer.printRecord(
                    CsvCells.text(invoice.displayNumber()),
                    CsvCells.text(invoice.billTo().slug()),
                    CsvCells.text(invoice.billTo().name()),
                    invoice.period().start(),
                    invoice.period().lastDay(),
                    invoice.currency(),
                    invoice.total().text());
        }
        printer.flush();
        return invoices.size();
    }
}

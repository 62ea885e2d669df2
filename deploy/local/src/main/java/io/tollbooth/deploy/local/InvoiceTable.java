package io.tollbooth.deploy.local;

import java.time.YearMonth;
import java.util.List;

/** Renders the closing table of a demo run: one row per client, with the amount due as the invoice states it. */
final class InvoiceTable {

    private static final String ROW = "%-14s %9s %12s  %-8s %12s  %-32s%n";

    private InvoiceTable() {
    }

    static String render(YearMonth period, List<DemoMain.InvoiceRow> rows) {
        StringBuilder table = new StringBuilder();
        table.append("Invoices for ").append(period).append(System.lineSeparator());
        table.append(String.format(ROW, "Client", "Requests", "Tokens", "Currency", "Amount due", "Invoice (PDF)"));
        for (DemoMain.InvoiceRow row : rows) {
            table.append(String.format(ROW, row.client(), String.format("%,d", row.requests()),
                    String.format("%,d", row.tokens()), row.currency(), row.amountDue(), row.pdf()));
        }
        return table.toString();
    }
}

package io.tollbooth.portal.finance;

import io.tollbooth.billing.export.InvoiceCsvExporter;
import io.tollbooth.billing.export.UsageCsvExporter;
import io.tollbooth.billing.invoice.ClientAccounts;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.tenant.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Finance's CSV exports over a range of months and, if asked, for one client. Billing writes every row, one month
 * at a time (each client's period starting in that month, in its own zone); this strings the months together under
 * one header and keeps the chosen client's rows, so a row here is byte for byte the row billing's own export has.
 *
 * <p>Usage detail is streamed from the database client by client. The invoice register, the lines and the usage
 * summary are small (one row per invoice, line, or client, day, model and token kind) and are read a month at a
 * time.
 */
@ApplicationScoped
public class FinanceExports {

    /** The longest range one export covers. */
    public static final int MAX_MONTHS = 24;

    @Inject
    InvoiceCsvExporter invoices;

    @Inject
    UsageCsvExporter usage;

    @Inject
    ClientAccounts accounts;

    /**
     * What to export: an operator's months {@code from} to {@code to}, both included, of every client or of one.
     *
     * @param client the one client to export; empty for all of the operator's clients
     */
    public record Range(Operator operator, YearMonth from, YearMonth to, Optional<Client> client) {

        /** The range as a file name part: {@code acme-2026-11-to-2026-12} or {@code acme-2026-12}. */
        public String fileName(FinanceExport kind) {
            String months = from.equals(to) ? from.toString() : from + "-to-" + to;
            return kind.slug() + "-" + operator.slug + client.map(c -> "-" + c.slug).orElse("") + "-" + months
                    + ".csv";
        }
    }

    /**
     * Checks a request before anything is streamed, so that its errors are still proper answers: 404 for an unknown
     * operator or a client that is not the operator's, 400 for a range that ends before it starts or is too long.
     */
    public Range range(UUID operatorId, YearMonth from, YearMonth to, UUID clientId) {
        Operator operator = Operator.<Operator>findByIdOptional(operatorId)
                .orElseThrow(() -> AdminException.notFound("operator", operatorId));
        if (to.isBefore(from)) {
            throw AdminException.invalid("the range ends (" + to + ") before it starts (" + from + ")");
        }
        if (from.plusMonths(MAX_MONTHS - 1).isBefore(to)) {
            throw AdminException.invalid("a range covers at most " + MAX_MONTHS + " months");
        }
        Optional<Client> client = Optional.empty();
        if (clientId != null) {
            client = Optional.of(Client.<Client>findByIdOptional(clientId)
                    .filter(found -> found.operatorId.equals(operatorId))
                    .orElseThrow(() -> AdminException.notFound("client", clientId)));
        }
        return new Range(operator, from, to, client);
    }

    /**
     * Writes the export: one header, then the rows of each month in order. The writer is flushed, not closed.
     *
     * @return the number of data rows written
     * @throws IOException if writing fails
     */
    public long write(FinanceExport kind, Range range, Writer out) throws IOException {
        if (kind == FinanceExport.USAGE) {
            return writeUsage(range, out);
        }
        CSVPrinter printer = null;
        long rows = 0;
        for (YearMonth month = range.from(); !month.isAfter(range.to()); month = month.plusMonths(1)) {
            StringWriter monthCsv = new StringWriter();
            switch (kind) {
                case INVOICES -> invoices.writeSummary(range.operator().id, month, monthCsv);
                case INVOICE_LINES -> invoices.writeLines(range.operator().id, month, monthCsv);
                default -> usage.writeDailySummary(range.operator().id, month, monthCsv);
            }
            try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new StringReader(monthCsv.toString()))) {
                if (printer == null) {
                    printer = CSVFormat.DEFAULT.builder().setHeader(parser.getHeaderNames().toArray(String[]::new))
                            .get().print(out);
                }
                for (CSVRecord record : parser) {
                    if (range.client().isEmpty() || range.client().get().slug.equals(record.get("client"))) {
                        printer.printRecord((Object[]) record.values());
                        rows++;
                    }
                }
            }
        }
        out.flush();
        return rows;
    }

    private long writeUsage(Range range, Writer out) throws IOException {
        HeaderOnce writer = new HeaderOnce(out);
        long rows = 0;
        for (YearMonth month = range.from(); !month.isAfter(range.to()); month = month.plusMonths(1)) {
            List<UUID> clients = range.client().map(client -> List.of(client.id))
                    .orElse(accounts.clientIdsOf(range.operator().id, month));
            for (UUID clientId : clients) {
                rows += usage.writeClientMonth(clientId, month, writer);
                writer.nextPart();
            }
        }
        if (!writer.written) {
            // No client in the whole range: still one header, so the file always says what its columns are.
            CSVFormat.DEFAULT.builder().setHeader(UsageCsvExporter.HEADER).get().print(out).flush();
        }
        out.flush();
        return rows;
    }

    /** Passes the first part through and drops the header line of every later part. */
    private static final class HeaderOnce extends FilterWriter {

        private boolean written;
        private boolean skipping;

        HeaderOnce(Writer out) {
            super(out);
        }

        void nextPart() {
            skipping = written;
        }

        @Override
        public void write(int c) throws IOException {
            if (skipping) {
                skipping = c != '\n';
                return;
            }
            written = true;
            out.write(c);
        }

        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            write(new String(buffer, offset, length), 0, length);
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            int start = offset;
            int end = offset + length;
            if (skipping) {
                int newline = text.indexOf('\n', offset);
                if (newline < 0 || newline >= end) {
                    return;
                }
                skipping = false;
                start = newline + 1;
            }
            if (start < end) {
                written = true;
                out.write(text, start, end - start);
            }
        }
    }
}

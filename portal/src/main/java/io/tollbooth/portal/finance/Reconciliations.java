package io.tollbooth.portal.finance;

import io.tollbooth.billing.reconciliation.Difference;
import io.tollbooth.billing.reconciliation.InvoiceReconciliation;
import io.tollbooth.billing.reconciliation.ReconciliationReport;
import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.tenant.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Billing's reconciliation of an operator's month, with each invoice's client, for the report page, API and CSV. */
@ApplicationScoped
public class Reconciliations {

    /** The columns of the reconciliation CSV, in order; {@code differences} lists them as "stage: subject ...". */
    public static final String[] HEADER = {"number", "client", "period_start", "period_end", "currency",
        "rated_events", "rated_amount", "lines_amount", "amount_due", "stripe_amount", "balanced", "differences"};

    @Inject
    InvoiceReconciliation reconciliation;

    /**
     * One invoice's reconciliation and the client it bills.
     *
     * @param clientSlug the client's short name; its id if the client is gone
     */
    public record Row(ReconciliationReport report, String clientSlug, String clientName) {
    }

    /** The operator's invoices for periods starting in {@code month}, reconciled, by number, drafts last. */
    public List<Row> of(UUID operatorId, YearMonth month) {
        Operator.<Operator>findByIdOptional(operatorId)
                .orElseThrow(() -> AdminException.notFound("operator", operatorId));
        Map<UUID, Client> clients = Client.listByOperator(operatorId).stream()
                .collect(Collectors.toMap(client -> client.id, Function.identity()));
        return reconciliation.ofOperatorMonth(operatorId, month).stream()
                .map(report -> {
                    Client client = clients.get(report.clientId());
                    return new Row(report, client == null ? report.clientId().toString() : client.slug,
                            client == null ? "" : client.name);
                })
                .toList();
    }

    /** Writes the rows as CSV, one line per invoice; amounts as plain decimals. The writer is flushed, not closed. */
    public void writeCsv(List<Row> rows, Writer out) throws IOException {
        CSVPrinter printer = CSVFormat.DEFAULT.builder().setHeader(HEADER).get().print(out);
        for (Row row : rows) {
            ReconciliationReport r = row.report();
            printer.printRecord(r.number(), row.clientSlug(), r.periodStart(), r.periodEnd().minusDays(1),
                    r.currency(), r.ratedEvents(), plain(r.ratedAmount()), plain(r.linesAmount()),
                    plain(r.amountDue()), plain(r.stripeAmount()), r.balanced(),
                    r.differences().stream().map(Reconciliations::describe).collect(Collectors.joining("; ")));
        }
        printer.flush();
    }

    /** A difference for people: {@code RATED_TO_LINES: subtotal expected 0.04, found 0.05}. */
    public static String describe(Difference difference) {
        return difference.stage() + ": " + difference.subject() + " expected " + difference.expected() + ", found "
                + difference.actual();
    }

    private static String plain(BigDecimal amount) {
        return amount == null ? null : amount.toPlainString();
    }
}

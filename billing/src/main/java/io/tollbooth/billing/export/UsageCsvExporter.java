package io.tollbooth.billing.export;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.tollbooth.billing.invoice.BillingError;
import io.tollbooth.billing.invoice.BillingException;
import io.tollbooth.billing.invoice.BillingPeriod;
import io.tollbooth.billing.invoice.ClientAccount;
import io.tollbooth.billing.invoice.ClientAccounts;
import io.tollbooth.billing.invoice.LineUnit;
import io.tollbooth.billing.money.MoneyFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Exports a month's rated usage as CSV: one row per rated usage row (one event and token kind), amounts at full
 * precision, so finance can re-add any invoice line from its source rows; and a summary per client, day, model
 * and token kind.
 *
 * <p>Rows are streamed from a database cursor to the writer, in constant memory whatever the month's size. The
 * month is each client's billing period starting in that month, in its own time zone, the same period its invoice
 * covers; event times are written in that zone with their offset.
 */
@ApplicationScoped
public class UsageCsvExporter {

    /**
     * The columns, in order. As in the ledger, {@code token_kind} may also be {@code request} or
     * {@code audio_second}, and {@code unit_price_per_million} is then the price per request or per second; the
     * names stay as they were for the spreadsheets that read them.
     */
    public static final String[] HEADER = {"event_time", "client", "request_id", "model", "token_kind", "quantity",
        "unit_price_per_million", "amount", "currency"};

    // A read of millions of rows may outlast the default 60 s transaction. TODO(#5): size this with a benchmark
    // of a large export; half an hour is a guess.
    private static final int EXPORT_TIMEOUT_SECONDS = 1_800;

    // The cursor fetches this many rows at a time; the driver holds no more than that in memory.
    private static final int FETCH_SIZE = 1_000;

    private static final String ROWS = """
            SELECT r.occurred_at, e.request_id, m.name, r.token_kind, r.quantity, r.price_per_million, r.amount,
                   r.currency
              FROM rated_usage r
              JOIN usage_event e ON e.id = r.usage_event_id
              JOIN model m ON m.id = r.model_id
             WHERE r.client_id = ? AND r.occurred_at >= ? AND r.occurred_at < ?
             ORDER BY r.occurred_at, r.id
            """;

    /** The columns of the daily summary, in order. */
    public static final String[] DAILY_HEADER = {"day", "client", "model", "token_kind", "events", "quantity",
        "amount", "currency"};

    // One row per day in the client's zone, model and unit, units in invoice order.
    private static final String DAILY = """
            SELECT (r.occurred_at AT TIME ZONE ?)::date AS day, m.name, r.token_kind,
                   count(DISTINCT r.usage_event_id), sum(r.quantity), sum(r.amount), r.currency
              FROM rated_usage r
              JOIN model m ON m.id = r.model_id
             WHERE r.client_id = ? AND r.occurred_at >= ? AND r.occurred_at < ?
             GROUP BY day, m.name, r.token_kind, r.currency
             ORDER BY day, m.name, %s
            """.formatted(LineUnit.sqlOrder("r.token_kind"));

    private final AgroalDataSource dataSource;
    private final ClientAccounts accounts;

    UsageCsvExporter(AgroalDataSource dataSource, ClientAccounts accounts) {
        this.dataSource = dataSource;
        this.accounts = accounts;
    }

    /**
     * Writes one client's month: a header row, then the rows by event time. The writer is flushed, not closed.
     *
     * @return the number of data rows written
     * @throws BillingException {@link BillingError#CLIENT_NOT_FOUND} if there is no such client
     * @throws IOException if writing fails
     */
    @Transactional
    @TransactionConfiguration(timeout = EXPORT_TIMEOUT_SECONDS)
    public long writeClientMonth(UUID clientId, YearMonth month, Writer out) throws IOException {
        ClientAccount account = accounts.find(clientId)
                .orElseThrow(() -> new BillingException(BillingError.CLIENT_NOT_FOUND, "no client " + clientId));
        CSVPrinter printer = printer(out);
        long rows = writeRows(account, month, printer);
        printer.flush();
        return rows;
    }

    /**
     * Writes one client's rated usage of the days {@code from} to {@code to} (both inclusive), days bounded by the
     * midnights of the client's own time zone: a header row, then the rows by event time, as
     * {@link #writeClientMonth}. The writer is flushed, not closed.
     *
     * @return the number of data rows written
     * @throws BillingException {@link BillingError#CLIENT_NOT_FOUND} if there is no such client
     * @throws IOException if writing fails
     */
    @Transactional
    @TransactionConfiguration(timeout = EXPORT_TIMEOUT_SECONDS)
    public long writeClientDays(UUID clientId, LocalDate from, LocalDate to, Writer out) throws IOException {
        ClientAccount account = accounts.find(clientId)
                .orElseThrow(() -> new BillingException(BillingError.CLIENT_NOT_FOUND, "no client " + clientId));
        CSVPrinter printer = printer(out);
        long rows = writeRows(account, from.atStartOfDay(account.zone()).toInstant(),
                to.plusDays(1).atStartOfDay(account.zone()).toInstant(), printer);
        printer.flush();
        return rows;
    }

    /**
     * Writes the month of every client of an operator, clients by slug, each in its own time zone: a header row,
     * then the rows. The writer is flushed, not closed.
     *
     * @return the number of data rows written
     * @throws BillingException {@link BillingError#OPERATOR_NOT_FOUND} if there is no such operator
     * @throws IOException if writing fails
     */
    @Transactional
    @TransactionConfiguration(timeout = EXPORT_TIMEOUT_SECONDS)
    public long writeOperatorMonth(UUID operatorId, YearMonth month, Writer out) throws IOException {
        CSVPrinter printer = printer(out);
        long rows = 0;
        for (UUID clientId : accounts.clientIdsOf(operatorId, month)) {
            ClientAccount account = accounts.find(clientId).orElseThrow();
            rows += writeRows(account, month, printer);
        }
        printer.flush();
        return rows;
    }

    /**
     * Writes the usage summary of every client of an operator per day, model and token kind: each client's period
     * starting in {@code month}, days in the client's own time zone, clients by slug. Amounts are at full
     * precision, so a day's rows add up to the same amount as the detailed rows. The writer is flushed, not closed.
     *
     * @return the number of data rows written
     * @throws BillingException {@link BillingError#OPERATOR_NOT_FOUND} if there is no such operator
     * @throws IOException if writing fails
     */
    @Transactional
    @TransactionConfiguration(timeout = EXPORT_TIMEOUT_SECONDS)
    public long writeDailySummary(UUID operatorId, YearMonth month, Writer out) throws IOException {
        CSVPrinter printer = CSVFormat.DEFAULT.builder().setHeader(DAILY_HEADER).get().print(out);
        long rows = 0;
        for (UUID clientId : accounts.clientIdsOf(operatorId, month)) {
            rows += writeDays(accounts.find(clientId).orElseThrow(), month, printer);
        }
        printer.flush();
        return rows;
    }

    private static CSVPrinter printer(Writer out) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader(HEADER).get().print(out);
    }

    private long writeRows(ClientAccount account, YearMonth month, CSVPrinter printer) throws IOException {
        BillingPeriod period = account.periodStartingIn(month);
        return writeRows(account, period.start(), period.end(), printer);
    }

    private long writeRows(ClientAccount account, Instant start, Instant end, CSVPrinter printer)
            throws IOException {
        DateTimeFormatter eventTime = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(account.zone());
        String client = CsvCells.text(account.clientSlug());
        // The cursor only streams inside a transaction (auto-commit off), which the callers open.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(ROWS)) {
            statement.setFetchSize(FETCH_SIZE);
            statement.setObject(1, account.clientId());
            statement.setObject(2, OffsetDateTime.ofInstant(start, ZoneOffset.UTC));
            statement.setObject(3, OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
            long rows = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    printer.printRecord(
                            eventTime.format(rs.getObject(1, OffsetDateTime.class)),
                            client,
                            CsvCells.text(rs.getString(2)),
                            CsvCells.text(rs.getString(3)),
                            rs.getString(4),
                            rs.getLong(5),
                            MoneyFormat.fullPrecision(rs.getBigDecimal(6)),
                            MoneyFormat.fullPrecision(rs.getBigDecimal(7)),
                            rs.getString(8).trim());
                    rows++;
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new PersistenceException("usage export of client " + account.clientSlug() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private long writeDays(ClientAccount account, YearMonth month, CSVPrinter printer) throws IOException {
        BillingPeriod period = account.periodStartingIn(month);
        String client = CsvCells.text(account.clientSlug());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(DAILY)) {
            statement.setString(1, account.zone().getId());
            statement.setObject(2, account.clientId());
            statement.setObject(3, OffsetDateTime.ofInstant(period.start(), ZoneOffset.UTC));
            statement.setObject(4, OffsetDateTime.ofInstant(period.end(), ZoneOffset.UTC));
            long rows = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    printer.printRecord(
                            rs.getObject(1, LocalDate.class),
                            client,
                            CsvCells.text(rs.getString(2)),
                            rs.getString(3),
                            rs.getLong(4),
                            rs.getLong(5),
                            MoneyFormat.fullPrecision(rs.getBigDecimal(6)),
                            rs.getString(7).trim());
                    rows++;
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new PersistenceException("daily usage summary of client " + account.clientSlug() + " failed: "
                    + e.getMessage(), e);
        }
    }
}

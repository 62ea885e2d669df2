package io.tollbooth.billing.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.invoice.InvoiceCloser;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.usage.event.TokenKind;
import io.tollbooth.billing.money.CurrencyRounding;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UsageCsvExporterTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);
    private static final String MID_MAY = "2026-05-15T12:00:00Z";

    @Inject
    UsageCsvExporter exporter;

    @Inject
    InvoiceCloser closer;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    private Operator acme;

    @BeforeEach
    void startFromNothing() {
        fixtures.clear();
        clock.set("2026-06-02T00:00:00Z");
        acme = fixtures.operator("acme", "Acme AI Services");
    }

    @Test
    void writesOneRowPerRatedUsageRowAtFullPrecision() throws IOException {
        Client client = fixtures.client(acme, "tenant-acme", "Acme Tenant", "USD", "UTC");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(client, "gpt-4o", TokenKind.OUTPUT, "10.00");
        fixtures.rated(client, "gpt-4o", MID_MAY, 1, Tokens.inputAndOutput(239, 2), "req-a");

        List<CSVRecord> rows = parse(exportClient(client));

        assertThat(rows).extracting(r -> r.get("event_time"), r -> r.get("client"), r -> r.get("request_id"),
                r -> r.get("model"), r -> r.get("token_kind"), r -> r.get("quantity"),
                r -> r.get("unit_price_per_million"), r -> r.get("amount"), r -> r.get("currency"))
                .containsExactlyInAnyOrder(
                        tuple("2026-05-15T12:00:00Z", "tenant-acme", "req-a-1", "gpt-4o", "input", "239", "2.5",
                                "0.0005975", "USD"),
                        tuple("2026-05-15T12:00:00Z", "tenant-acme", "req-a-1", "gpt-4o", "output", "2", "10",
                                "0.00002", "USD"));
    }

    @Test
    void addsUpToTheInvoiceWhenRoundedOncePerLine() throws IOException {
        // Case 20(a) plus a second model, so the CSV has to be grouped the way the invoice is.
        Client client = fixtures.client(acme, "tenant-acme", "Acme Tenant", "USD", "UTC");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(client, "o4-mini", TokenKind.OUTPUT, "4.40");
        fixtures.rated(client, "gpt-4o", MID_MAY, 10_000, Tokens.input(15));
        fixtures.rated(client, "o4-mini", MID_MAY, 3, Tokens.of(TokenKind.OUTPUT, 1_035));
        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        List<CSVRecord> rows = parse(exportClient(client));

        assertThat(rows).hasSize(10_003);
        assertThat(sumRoundedPerLine(rows, Currency.getInstance("USD"))).isEqualTo(invoice.total().value());
        assertThat(invoice.total().text()).isEqualTo("0.39");
    }

    @Test
    void writesEventTimesInTheClientsZoneAndKeepsTheMonthOfThatZone() throws IOException {
        Client client = fixtures.client(acme, "mumbai", "Mumbai Analytics", "USD", "Asia/Kolkata");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", "2026-04-30T18:30:00Z", 1, Tokens.input(10), "first");
        fixtures.rated(client, "gpt-4o", "2026-05-31T20:00:00Z", 1, Tokens.input(10), "june");

        List<CSVRecord> rows = parse(exportClient(client));

        assertThat(rows).extracting(r -> r.get("event_time"), r -> r.get("request_id"))
                .containsExactly(tuple("2026-05-01T00:00:00+05:30", "first-1"));
    }

    @Test
    void makesCellsThatLookLikeFormulasInert() throws IOException {
        Client client = fixtures.client(acme, "tenant-acme", "Acme Tenant", "USD", "UTC");
        fixtures.price(client, "=cmd|' /C calc'!A0", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "=cmd|' /C calc'!A0", MID_MAY, 1, Tokens.input(10), "=HYPERLINK(\"http://x\")");
        fixtures.price(client, "@SUM(A1)", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "@SUM(A1)", "2026-05-16T00:00:00Z", 1, Tokens.input(10), "+1");
        fixtures.price(client, "-2+3", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "-2+3", "2026-05-17T00:00:00Z", 1, Tokens.input(10), "safe");

        List<CSVRecord> rows = parse(exportClient(client));

        assertThat(rows).extracting(r -> r.get("model"), r -> r.get("request_id"))
                .containsExactly(
                        tuple("'=cmd|' /C calc'!A0", "'=HYPERLINK(\"http://x\")-1"),
                        tuple("'@SUM(A1)", "'+1-1"),
                        tuple("'-2+3", "safe-1"));
    }

    @Test
    void writesEveryClientOfAnOperatorEachInItsOwnZone() throws IOException {
        Client berlin = fixtures.client(acme, "berlin", "Berlin GmbH", "EUR", "Europe/Berlin");
        Client tokyo = fixtures.client(acme, "tokyo", "Tokyo Labs", "JPY", "Asia/Tokyo");
        fixtures.price(berlin, "gpt-4o", TokenKind.INPUT, "2.30");
        fixtures.price(tokyo, "gpt-4o", TokenKind.INPUT, "150");
        fixtures.rated(berlin, "gpt-4o", "2026-05-31T21:59:59Z", 1, Tokens.input(1_000), "b-may");
        fixtures.rated(berlin, "gpt-4o", "2026-05-31T22:00:00Z", 1, Tokens.input(1_000), "b-june");
        fixtures.rated(tokyo, "gpt-4o", "2026-04-30T15:00:00Z", 2, Tokens.input(1_000), "t-may");

        StringWriter out = new StringWriter();
        long written = exporter.writeOperatorMonth(acme.id(), MAY, out);

        assertThat(written).isEqualTo(3);
        assertThat(parse(out.toString())).extracting(r -> r.get("client"), r -> r.get("event_time"),
                r -> r.get("amount"), r -> r.get("currency"))
                .containsExactly(
                        tuple("berlin", "2026-05-31T23:59:59+02:00", "0.0023", "EUR"),
                        tuple("tokyo", "2026-05-01T00:00:00+09:00", "0.15", "JPY"),
                        tuple("tokyo", "2026-05-01T00:00:00+09:00", "0.15", "JPY"));
    }

    @Test
    void writesOnlyTheHeaderForAMonthWithoutUsage() throws IOException {
        Client client = fixtures.client(acme, "quiet", "Quiet Corp", "USD", "UTC");

        assertThat(exportClient(client)).isEqualTo("event_time,client,request_id,model,token_kind,quantity,"
                + "unit_price_per_million,amount,currency\r\n");
    }

    private String exportClient(Client client) throws IOException {
        StringWriter out = new StringWriter();
        exporter.writeClientMonth(client.id(), MAY, out);
        return out.toString();
    }

    /** Groups rows the way invoice lines are grouped, rounds each group once, and adds the groups up. */
    private static BigDecimal sumRoundedPerLine(List<CSVRecord> rows, Currency currency) {
        Map<List<String>, BigDecimal> lines = rows.stream().collect(Collectors.groupingBy(
                r -> List.of(r.get("model"), r.get("token_kind"), r.get("unit_price_per_million")),
                Collectors.reducing(BigDecimal.ZERO, r -> new BigDecimal(r.get("amount")), BigDecimal::add)));
        return lines.values().stream().map(amount -> CurrencyRounding.toMinorUnit(amount, currency))
                .reduce(CurrencyRounding.toMinorUnit(BigDecimal.ZERO, currency), BigDecimal::add);
    }

    static List<CSVRecord> parse(String csv) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
    }

    @Test
    void summarisesEachClientsUsagePerDayInItsOwnTimeZone() throws IOException {
        // Case 19's events: in Kolkata, E1 (20:00Z) and E2 belong to May 11th and E3 (19:00Z) to May 12th.
        Client kolkata = fixtures.client(acme, "kolkata", "Kolkata Labs", "USD", "Asia/Kolkata");
        Client alpha = fixtures.client(acme, "alpha", "Alpha", "USD", "UTC");
        fixtures.price(kolkata, "gpt-4o", TokenKind.INPUT, "1.00");
        fixtures.price(alpha, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(alpha, "gpt-4o", TokenKind.OUTPUT, "10.00");
        fixtures.rated(kolkata, "gpt-4o", "2026-05-10T20:00:00Z", 1, Tokens.input(1_000_000));
        fixtures.rated(kolkata, "gpt-4o", "2026-05-11T10:00:00Z", 1, Tokens.input(2_000_000));
        fixtures.rated(kolkata, "gpt-4o", "2026-05-11T19:00:00Z", 1, Tokens.input(4_000_000));
        fixtures.rated(alpha, "gpt-4o", "2026-05-31T23:59:59Z", 10_000, Tokens.inputAndOutput(15, 1));

        StringWriter out = new StringWriter();
        long written = exporter.writeDailySummary(acme.id(), MAY, out);

        assertThat(written).isEqualTo(4);
        assertThat(out.toString()).isEqualTo("""
                day,client,model,token_kind,events,quantity,amount,currency\r
                2026-05-31,alpha,gpt-4o,input,10000,150000,0.375,USD\r
                2026-05-31,alpha,gpt-4o,output,10000,10000,0.1,USD\r
                2026-05-11,kolkata,gpt-4o,input,2,3000000,3,USD\r
                2026-05-12,kolkata,gpt-4o,input,1,4000000,4,USD\r
                """);
    }
}

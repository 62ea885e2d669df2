package io.tollbooth.billing.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.Invoicing;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.invoice.LineUnit;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringWriter;
import java.time.YearMonth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InvoiceCsvExporterTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);
    private static final String MID_MAY = "2026-05-15T12:00:00Z";

    @Inject
    InvoiceCsvExporter exporter;

    @Inject
    Invoicing invoicing;

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
    void listsTheMonthsInvoicesByNumberWithTheirTotals() throws IOException {
        Client tenant = fixtures.client(acme, "tenant-acme", "Acme Tenant", "USD", "UTC");
        Client tokyo = fixtures.client(acme, "tokyo", "Tokyo Labs, K.K.", "JPY", "Asia/Tokyo");
        Client hostile = fixtures.client(acme, "hostile", "=HYPERLINK(\"http://x\")", "KWD", "Asia/Kuwait");
        fixtures.price(tenant, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(tokyo, "gpt-4o", TokenKind.INPUT, "150");
        fixtures.rated(tenant, "gpt-4o", MID_MAY, 10_000, Tokens.input(15));
        fixtures.rated(tokyo, "gpt-4o", MID_MAY, 7, Tokens.input(10_000));
        invoicing.issue(tokyo, MAY);
        invoicing.issue(tenant, MAY);
        invoicing.issue(hostile, MAY);
        Client drafted = fixtures.client(acme, "drafted", "Drafted Ltd", "USD", "UTC");
        invoicing.draft(drafted, MAY);

        StringWriter out = new StringWriter();
        int written = exporter.writeSummary(acme.id(), MAY, out);

        assertThat(written).isEqualTo(4);
        assertThat(out.toString()).isEqualTo("""
                number,status,client,client_name,period_start,period_end,issue_date,due_date,currency,subtotal,tax,\
                total,credit_applied,amount_due\r
                ACME-2026-000001,FINALIZED,tokyo,"Tokyo Labs, K.K.",2026-05-01,2026-05-31,2026-06-02,2026-07-02,JPY,\
                11,0,11,0,11\r
                ACME-2026-000002,FINALIZED,tenant-acme,Acme Tenant,2026-05-01,2026-05-31,2026-06-02,2026-07-02,USD,\
                0.38,0.00,0.38,0.00,0.38\r
                ACME-2026-000003,FINALIZED,hostile,"'=HYPERLINK(""http://x"")",2026-05-01,2026-05-31,2026-06-02,\
                2026-07-02,KWD,0.000,0.000,0.000,0.000,0.000\r
                ,DRAFT,drafted,Drafted Ltd,2026-05-01,2026-05-31,,,USD,0.00,0.00,0.00,0.00,0.00\r
                """);
    }

    @Test
    void listsEveryLineSoThatEachInvoicesLinesAddUpToItsSubtotal() throws IOException {
        Client tenant = fixtures.client(acme, "tenant-acme", "Acme Tenant", "USD", "UTC");
        Client tokyo = fixtures.client(acme, "tokyo", "Tokyo Labs, K.K.", "JPY", "Asia/Tokyo");
        fixtures.price(tenant, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.price(tenant, "gpt-4o", TokenKind.OUTPUT, "10.00");
        fixtures.unitPrice(tenant, "whisper-1", LineUnit.AUDIO_SECOND, "0.00025");
        fixtures.price(tokyo, "-model", TokenKind.INPUT, "150");
        fixtures.rated(tenant, "gpt-4o", MID_MAY, 10_000, Tokens.input(15));
        fixtures.rated(tenant, "gpt-4o", MID_MAY, 3, Tokens.of(TokenKind.OUTPUT, 333));
        fixtures.ratedUnits(tenant, "whisper-1", MID_MAY, 3, LineUnit.AUDIO_SECOND, 61);
        fixtures.rated(tokyo, "-model", MID_MAY, 7, Tokens.input(10_000));
        invoicing.issue(tenant, MAY);
        invoicing.issue(tokyo, MAY);

        StringWriter out = new StringWriter();
        int written = exporter.writeLines(acme.id(), MAY, out);

        // 0.375 rounds once to 0.38; 999 output tokens are 0.00999, so 0.01; 183 audio seconds at 0.00025 are
        // 0.04575, so 0.05; the subtotal is 0.44.
        assertThat(written).isEqualTo(4);
        assertThat(out.toString()).isEqualTo("""
                number,status,client,line_no,line_type,description,model,unit,usage_date,quantity,unit_price,\
                priced_per,amount,currency\r
                ACME-2026-000001,FINALIZED,tenant-acme,1,USAGE,gpt-4o input tokens,gpt-4o,input,,150000,2.50,\
                1M tokens,0.38,USD\r
                ACME-2026-000001,FINALIZED,tenant-acme,2,USAGE,gpt-4o output tokens,gpt-4o,output,,999,10.00,\
                1M tokens,0.01,USD\r
                ACME-2026-000001,FINALIZED,tenant-acme,3,USAGE,whisper-1 audio seconds,whisper-1,audio_second,,183,\
                0.00025,second,0.05,USD\r
                ACME-2026-000002,FINALIZED,tokyo,1,USAGE,'-model input tokens,'-model,input,,70000,150,1M tokens,11,\
                JPY\r
                """);
        assertThat(invoicing.issue(tenant, MAY).subtotal().text()).isEqualTo("0.44");
    }
}

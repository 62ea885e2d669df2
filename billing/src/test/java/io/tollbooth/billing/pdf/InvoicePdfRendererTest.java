package io.tollbooth.billing.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import com.lowagie.text.pdf.PdfDictionary;
import com.lowagie.text.pdf.PdfName;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.invoice.InvoiceCloser;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InvoicePdfRendererTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);
    private static final String MID_MAY = "2026-05-15T12:00:00Z";
    // The text extractor joins table cells with or without a space, so the label and the amount may touch.
    private static final String TOTAL_DUE = "Total due\\s*";

    @Inject
    InvoiceCloser closer;

    @Inject
    InvoicePdfRenderer renderer;

    @Inject
    BillingFixtures fixtures;

    @Inject
    TestClock clock;

    private Operator acme;

    @BeforeEach
    void startFromNothing() {
        fixtures.clear();
        clock.set("2026-06-02T09:00:00Z");
        acme = fixtures.operator("acme", "Acme AI Services", "1 Main Street\nSpringfield 12345", "US-99-1234567");
    }

    @Test
    void printsTheNumberTheClientAndTheExactTotal() throws IOException {
        // Case 20(a): 10,000 × 15 prompt tokens at 2.50 per 1M.
        Client client = fixtures.client(acme, "muller", "Müller GmbH", "USD", "Europe/Berlin");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "2.50");
        fixtures.rated(client, "gpt-4o", MID_MAY, 10_000, Tokens.input(15));
        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        String text = textOf(renderer.render(invoice)).get(0);

        assertThat(text).contains("Acme AI Services", "1 Main Street", "Springfield 12345", "Tax ID: US-99-1234567")
                .contains("Bill to", "Müller GmbH")
                .contains("Number: ACME-2026-000001", "Issue date: 2026-06-02", "Period: 2026-05-01 to 2026-05-31")
                .contains("gpt-4o", "Input", "150,000", "2.50")
                .containsPattern(TOTAL_DUE + "0\\.38 USD");
    }

    @Test
    void usesOnlyTheEmbeddedUnicodeFont() throws IOException {
        Client client = fixtures.client(acme, "lodz", "Łódź Öztürk Ltd", "USD", "UTC");
        byte[] pdf = renderer.render(closer.closeMonth(client.id(), MAY, false).invoice());

        assertThat(fontsOf(pdf)).singleElement().asString().matches("/[A-Z]{6}\\+LiberationSans");
        assertThat(textOf(pdf).get(0)).contains("Łódź Öztürk Ltd");
    }

    @Test
    void printsYenWithoutDecimals() throws IOException {
        Client client = fixtures.client(acme, "tokyo", "Tokyo Labs", "JPY", "Asia/Tokyo");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "150");
        fixtures.rated(client, "gpt-4o", MID_MAY, 7, Tokens.input(10_000));
        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        String text = textOf(renderer.render(invoice)).get(0);

        assertThat(text).containsPattern(TOTAL_DUE + "11 JPY");
    }

    @Test
    void continuesLongInvoicesOnTheNextPageWithTheTotalAtTheEnd() throws IOException {
        Client client = fixtures.client(acme, "big", "Big Tenant Ltd", "USD", "UTC");
        for (int i = 1; i <= 30; i++) {
            String model = String.format("model-%02d", i);
            fixtures.price(client, model, TokenKind.INPUT, "1.00");
            fixtures.price(client, model, TokenKind.OUTPUT, "2.00");
            fixtures.rated(client, model, MID_MAY, 1, Tokens.inputAndOutput(1_000_000, 1_000_000));
        }
        InvoiceView invoice = closer.closeMonth(client.id(), MAY, false).invoice();

        List<String> pages = textOf(renderer.render(invoice));

        assertThat(invoice.lines()).hasSize(60);
        assertThat(pages).hasSize(2);
        assertThat(pages.get(0)).doesNotContain("Total due");
        assertThat(pages.get(1)).contains("Model", "model-30").containsPattern(TOTAL_DUE + "90\\.00 USD");
    }

    /** The names of the top-level fonts in the document; a subset prefix ("ABCDEF+") means embedded. */
    private static List<String> fontsOf(byte[] pdf) throws IOException {
        PdfReader reader = new PdfReader(pdf);
        try {
            List<String> fonts = new ArrayList<>();
            for (int i = 1; i < reader.getXrefSize(); i++) {
                if (reader.getPdfObject(i) instanceof PdfDictionary dictionary
                        && PdfName.FONT.equals(dictionary.get(PdfName.TYPE))
                        && !PdfName.CIDFONTTYPE2.equals(dictionary.get(PdfName.SUBTYPE))) {
                    fonts.add(dictionary.get(PdfName.BASEFONT).toString());
                }
            }
            return fonts;
        } finally {
            reader.close();
        }
    }

    private static List<String> textOf(byte[] pdf) throws IOException {
        PdfReader reader = new PdfReader(pdf);
        try {
            PdfTextExtractor extractor = new PdfTextExtractor(reader);
            List<String> pages = new ArrayList<>();
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                pages.add(extractor.getTextFromPage(page));
            }
            return pages;
        } finally {
            reader.close();
        }
    }
}

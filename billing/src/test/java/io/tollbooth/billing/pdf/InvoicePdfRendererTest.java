package io.tollbooth.billing.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tollbooth.billing.BillingFixtures;
import io.tollbooth.billing.BillingFixtures.Client;
import io.tollbooth.billing.BillingFixtures.Operator;
import io.tollbooth.billing.BillingFixtures.Tokens;
import io.tollbooth.billing.Invoicing;
import io.tollbooth.billing.TestClock;
import io.tollbooth.billing.invoice.InvoiceView;
import io.tollbooth.billing.invoice.LineUnit;
import io.tollbooth.usage.event.TokenKind;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InvoicePdfRendererTest {

    private static final YearMonth MAY = YearMonth.of(2026, 5);
    private static final String MID_MAY = "2026-05-15T12:00:00Z";
    // The text extractor joins table cells with or without a space, so the label and the amount may touch.
    private static final String TOTAL_DUE = "Total due\\s*";

    @Inject
    Invoicing invoicing;

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
        InvoiceView invoice = invoicing.issue(client, MAY);

        String text = textOf(renderer.render(invoice)).get(0);

        assertThat(text).contains("Acme AI Services", "1 Main Street", "Springfield 12345", "Tax ID: US-99-1234567")
                .contains("Bill to", "Müller GmbH")
                .contains("Number: ACME-2026-000001", "Issue date: 2026-06-02", "Period: 2026-05-01 to 2026-05-31")
                .contains("gpt-4o", "Input tokens", "150,000", "2.50 per 1M tokens")
                .containsPattern(TOTAL_DUE + "\\$0\\.38");
    }

    @Test
    void printsRequestAndAudioSecondLinesWithTheirOwnUnitPrices() throws IOException {
        Client client = fixtures.client(acme, "muller", "Müller GmbH", "USD", "Europe/Berlin");
        fixtures.unitPrice(client, "whisper-1", LineUnit.REQUEST, "0.0015");
        fixtures.unitPrice(client, "whisper-1", LineUnit.AUDIO_SECOND, "0.00025");
        fixtures.ratedUnits(client, "whisper-1", MID_MAY, 7, LineUnit.REQUEST, 1);
        fixtures.ratedUnits(client, "whisper-1", MID_MAY, 3, LineUnit.AUDIO_SECOND, 61);
        InvoiceView invoice = invoicing.issue(client, MAY);

        List<String> pages = textOf(renderer.render(invoice));

        // 7 × 0.0015 = 0.0105 → $0.01 and 183 × 0.00025 = 0.04575 → $0.05, each rounded once.
        assertThat(pages.get(0)).containsPattern("Requests\\s*7\\s*0\\.0015 per request\\s*\\$0\\.01")
                .containsPattern("Audio seconds\\s*183\\s*0\\.00025 per second\\s*\\$0\\.05")
                .containsPattern(TOTAL_DUE + "\\$0\\.06");
        assertThat(pages.get(pages.size() - 1)).containsPattern("Requests\\s*7\\s*\\$0\\.01")
                .containsPattern("Audio seconds\\s*183\\s*\\$0\\.05");
    }

    @Test
    void usesOnlyTheEmbeddedLatinFontForLatinNames() throws IOException {
        Client client = fixtures.client(acme, "lodz", "Łódź Öztürk Ltd", "USD", "UTC");
        byte[] pdf = renderer.render(invoicing.issue(client, MAY));

        assertThat(fontsOf(pdf)).singleElement().asString().matches("[A-Z]{6}\\+LiberationSans");
        assertThat(textOf(pdf).get(0)).contains("Łódź Öztürk Ltd");
    }

    @Test
    void printsJapaneseAndGermanNamesSideBySide() throws IOException {
        Operator muller = fixtures.operator("muller", "Müller GmbH", "Königstraße 1\n70173 Stuttgart", "DE123456789");
        Client client = fixtures.client(muller, "test-kk", "株式会社テスト", "JPY", "Asia/Tokyo");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "150");
        fixtures.rated(client, "gpt-4o", MID_MAY, 7, Tokens.input(10_000));

        byte[] pdf = renderer.render(invoicing.issue(client, MAY));

        List<String> pages = textOf(pdf);
        assertThat(pages.get(0)).contains("Müller GmbH", "Königstraße 1", "Bill to", "株式会社テスト")
                .containsPattern(TOTAL_DUE + "¥11");
        assertThat(pages.get(pages.size() - 1)).contains("株式会社テスト");
        // Latin text stays in Liberation Sans; only the Japanese glyphs come from Noto Sans JP, whose regular face
        // also sets bold text (the bill-to name), so one CJK subset is embedded, not two.
        assertThat(fontsOf(pdf)).hasSize(2)
                .anyMatch(font -> font.matches("[A-Z]{6}\\+LiberationSans"))
                .anyMatch(font -> font.matches("[A-Z]{6}\\+NotoSansJP-Regular"));
    }

    @Test
    void printsYenWithoutDecimals() throws IOException {
        Client client = fixtures.client(acme, "tokyo", "Tokyo Labs", "JPY", "Asia/Tokyo");
        fixtures.price(client, "gpt-4o", TokenKind.INPUT, "150");
        fixtures.rated(client, "gpt-4o", MID_MAY, 7, Tokens.input(10_000));
        InvoiceView invoice = invoicing.issue(client, MAY);

        String text = textOf(renderer.render(invoice)).get(0);

        assertThat(text).containsPattern(TOTAL_DUE + "¥11");
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
        InvoiceView invoice = invoicing.issue(client, MAY);

        List<String> pages = textOf(renderer.render(invoice));

        assertThat(invoice.lines()).hasSize(60);
        int summary = firstPageStartingWith(pages, "Usage summary");
        assertThat(pages.get(0)).doesNotContain("Total due");
        assertThat(pages.get(1)).contains("Model", "model-30").containsPattern(TOTAL_DUE + "\\$90\\.00");
        assertThat(summary).isGreaterThan(1);
        assertThat(pages.get(summary)).contains("Total model-01 $3.00");
        assertThat(pages.get(pages.size() - 1)).contains("Total model-30 $3.00");
    }

    private static int firstPageStartingWith(List<String> pages, String heading) {
        for (int page = 0; page < pages.size(); page++) {
            if (pages.get(page).startsWith(heading)) {
                return page;
            }
        }
        throw new AssertionError("no page starts with " + heading + ": " + pages);
    }

    /** The base names of the fonts the pages use; a subset prefix ("ABCDEF+") means embedded. */
    private static List<String> fontsOf(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            List<String> fonts = new ArrayList<>();
            for (PDPage page : document.getPages()) {
                PDResources resources = page.getResources();
                for (COSName name : resources.getFontNames()) {
                    String font = resources.getFont(name).getName();
                    if (!fonts.contains(font)) {
                        fonts.add(font);
                    }
                }
            }
            return fonts;
        }
    }

    /** The text of each page, as PDFBox extracts it. */
    private static List<String> textOf(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            List<String> pages = new ArrayList<>();
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                pages.add(stripper.getText(document));
            }
            return pages;
        }
    }
}

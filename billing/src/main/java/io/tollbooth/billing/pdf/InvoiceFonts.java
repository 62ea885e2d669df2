package io.tollbooth.billing.pdf;

import com.lowagie.text.Chunk;
import com.lowagie.text.Font;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The fonts of invoice PDFs, loaded once per process and shared by every rendering (a {@link BaseFont} is
 * read-only once created; each document tracks its own used glyphs).
 *
 * <p>Text is set glyph by glyph in the first font that has the glyph: Liberation Sans (bundled inside OpenPDF
 * 2.0.5) for Latin, Greek and Cyrillic ("Müller GmbH", "Łódź"), then Noto Sans JP for Chinese, Japanese and Korean
 * ("株式会社テスト"). Both are embedded as subsets with Identity-H encoding, so the PDF reads the same everywhere
 * and its text can be extracted. Noto Sans JP (SIL Open Font License 1.1) is not committed: the billing build
 * downloads it once per machine and unpacks it into the jar (see billing/pom.xml).
 *
 * <p>Bold text, in either script, is OpenPDF's simulated bold (the glyph outlines stroked) of the regular face.
 * Each face a document uses is subset into it when the document closes, and OpenPDF's subsetting walks every glyph
 * of the font: for Noto Sans JP's 17,103 glyphs that is about 5 ms of CPU per face and document, the largest single
 * cost of a Japanese invoice (docs/benchmarks/billing). A real bold CJK face would double it.
 */
final class InvoiceFonts {

    /** Where OpenPDF 2.0.5 keeps its bundled Liberation Sans. */
    static final String LATIN_RESOURCE = "font-fallback/LiberationSans-Regular.ttf";

    /** Where the build puts Noto Sans JP's regular face. */
    static final String CJK_RESOURCE = "io/tollbooth/billing/pdf/NotoSansJP_400Regular.ttf";

    private static final String UNPACKED_BY_THE_BUILD = "the billing build downloads and unpacks it"
            + " (maven-antrun-plugin in billing/pom.xml); build billing again";

    private static final BaseFont LATIN = load(LATIN_RESOURCE, "it ships inside OpenPDF 2.0.5");
    private static final BaseFont CJK = load(CJK_RESOURCE, UNPACKED_BY_THE_BUILD);

    private InvoiceFonts() {
    }

    /** Body text: {@code text} in the regular faces. */
    static Phrase regular(String text, float size) {
        return phrase(text, new Font(LATIN, size, Font.NORMAL), new Font(CJK, size, Font.NORMAL));
    }

    /** Headings and totals: {@code text} in the bold faces. */
    static Phrase bold(String text, float size) {
        return phrase(text, new Font(LATIN, size, Font.BOLD), new Font(CJK, size, Font.BOLD));
    }

    // Splits the text into runs of one font, as OpenPDF's FontSelector does; FontSelector itself is not used
    // because OpenPDF 2.0.5's constructor re-reads a font file from the class path each time (seconds per invoice).
    private static Phrase phrase(String text, Font latin, Font cjk) {
        Phrase phrase = new Phrase();
        String remaining = text == null ? "" : text;
        StringBuilder run = new StringBuilder();
        Font runFont = latin;
        for (int i = 0; i < remaining.length(); i += Character.charCount(remaining.codePointAt(i))) {
            int codePoint = remaining.codePointAt(i);
            Font font = fontFor(codePoint, runFont, latin, cjk);
            if (font != runFont && !run.isEmpty()) {
                phrase.add(new Chunk(run.toString(), runFont));
                run.setLength(0);
            }
            runFont = font;
            run.appendCodePoint(codePoint);
        }
        if (!run.isEmpty()) {
            phrase.add(new Chunk(run.toString(), runFont));
        }
        // The phrase's own font sets the line height and any line break; without it OpenPDF falls back to
        // Helvetica, which is not embedded.
        phrase.setFont(latin);
        return phrase;
    }

    // Spaces and line breaks stay in the run they are in; a glyph neither face has prints as Liberation's blank.
    private static Font fontFor(int codePoint, Font current, Font latin, Font cjk) {
        if (Character.isWhitespace(codePoint) || Character.isISOControl(codePoint)) {
            return current;
        }
        if (latin.getBaseFont().charExists(codePoint)) {
            return latin;
        }
        return cjk.getBaseFont().charExists(codePoint) ? cjk : latin;
    }

    private static BaseFont load(String resource, String whereItComesFrom) {
        try (InputStream in = InvoiceFonts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("font " + resource + " is not on the class path; "
                        + whereItComesFrom);
            }
            return BaseFont.createFont(resource, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, in.readAllBytes(),
                    null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load font " + resource, e);
        }
    }
}

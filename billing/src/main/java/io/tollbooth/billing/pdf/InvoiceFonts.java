package io.tollbooth.billing.pdf;

import com.lowagie.text.Font;
import com.lowagie.text.pdf.BaseFont;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The fonts of invoice PDFs, loaded once per process and shared by every rendering (a {@link BaseFont} is
 * read-only once created; each document tracks its own used glyphs).
 *
 * <p>Liberation Sans, as bundled inside OpenPDF 2.0.5, is embedded with Identity-H encoding, so any Latin,
 * Greek or Cyrillic name prints ("Müller GmbH", "Łódź", "Öztürk"). TODO(#5): names in scripts it has no glyphs
 * for ("株式会社テスト") print as blanks; embed a CJK-capable Unicode font (e.g. Noto Sans CJK) with per-glyph
 * fallback, and a real bold face instead of OpenPDF's simulated bold.
 */
final class InvoiceFonts {

    /** Where OpenPDF 2.0.5 keeps its bundled Liberation Sans. */
    static final String REGULAR_RESOURCE = "font-fallback/LiberationSans-Regular.ttf";

    private static final BaseFont REGULAR = load(REGULAR_RESOURCE);

    private InvoiceFonts() {
    }

    /** Body text. */
    static Font regular(float size) {
        return new Font(REGULAR, size, Font.NORMAL);
    }

    /** Headings and totals. */
    static Font bold(float size) {
        return new Font(REGULAR, size, Font.BOLD);
    }

    private static BaseFont load(String resource) {
        try (InputStream in = InvoiceFonts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("font " + resource + " is not on the class path; it ships inside"
                        + " OpenPDF 2.0.5 (com.github.librepdf:openpdf)");
            }
            return BaseFont.createFont(resource, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, in.readAllBytes(),
                    null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load font " + resource, e);
        }
    }
}

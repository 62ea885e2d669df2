package io.tollbooth.portal.finance;

import java.util.Arrays;
import java.util.Optional;

/** The CSV exports finance takes, by the name they have in URLs and file names. */
public enum FinanceExport {

    /** The invoice register: one row per invoice (billing's {@code InvoiceCsvExporter.HEADER}). */
    INVOICES("invoices", "Invoice register"),
    /** One row per invoice line (billing's {@code InvoiceCsvExporter.LINE_HEADER}). */
    INVOICE_LINES("invoice-lines", "Invoice lines"),
    /** Rated usage per client, day, model and token kind (billing's {@code UsageCsvExporter.DAILY_HEADER}). */
    USAGE_SUMMARY("usage-summary", "Usage summary"),
    /** Rated usage, one row per event and token kind at full precision (billing's {@code UsageCsvExporter.HEADER}). */
    USAGE("usage", "Usage detail");

    private final String slug;
    private final String title;

    FinanceExport(String slug, String title) {
        this.slug = slug;
        this.title = title;
    }

    /** The export's name in URLs and file names, for example {@code invoice-lines}. */
    public String slug() {
        return slug;
    }

    /** The export's name for people. */
    public String title() {
        return title;
    }

    public static Optional<FinanceExport> ofSlug(String slug) {
        return Arrays.stream(values()).filter(kind -> kind.slug.equals(slug)).findFirst();
    }
}

package io.tollbooth.portal.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

/**
 * Formats numbers, amounts and dates for the person looking at a page: in their language's conventions and in the
 * client's currency and time zone. Amounts arrive already rounded once (by billing, or for display by the report)
 * and are only laid out here.
 */
public final class ViewerFormat {

    private final Locale locale;
    private final Currency currency;
    private final ZoneId zone;

    public ViewerFormat(Locale locale, Currency currency, ZoneId zone) {
        this.locale = locale;
        this.currency = currency;
        this.zone = zone;
    }

    /** The first language the browser asks for, or US English when it names none. */
    public static Locale viewerLocale(List<Locale> acceptable) {
        return acceptable.stream().filter(l -> !l.getLanguage().isEmpty() && !"*".equals(l.getLanguage()))
                .findFirst().orElse(Locale.US);
    }

    /** An amount in the client's currency with its symbol, for example {@code $1,234.50} or {@code 1.234,50 €}. */
    public String money(BigDecimal amount) {
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(currency);
        format.setMinimumFractionDigits(currency.getDefaultFractionDigits());
        format.setMaximumFractionDigits(currency.getDefaultFractionDigits());
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(amount);
    }

    /** A count with the viewer's grouping, for example {@code 1,250,000}. */
    public String count(long value) {
        return NumberFormat.getIntegerInstance(locale).format(value);
    }

    /** A calendar day, for example {@code Dec 14, 2026}. */
    public String date(LocalDate date) {
        return date == null ? "" : DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).format(date);
    }

    /** An instant as a day and time in the client's time zone. */
    public String dateTime(Instant instant) {
        return instant == null ? "" : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(locale).withZone(zone).format(instant);
    }

    public Locale locale() {
        return locale;
    }
}

package io.tollbooth.metering.rating;

import java.util.Locale;

/** How a schedule of monthly bands prices a month's quantity. */
public enum TierMode {

    /** Each unit is priced in the band it falls in: the first N units at the first band's price, and so on. */
    GRADUATED,
    /** Every unit of the month is priced at the band that the month's total quantity reaches. */
    VOLUME;

    /** The name in the database and in APIs: {@code graduated} or {@code volume}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TierMode ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

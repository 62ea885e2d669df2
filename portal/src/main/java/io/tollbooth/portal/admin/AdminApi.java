package io.tollbooth.portal.admin;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.resteasy.reactive.RestResponse;

/** Shared conventions of the admin API: its base path and how decimals are written. */
final class AdminApi {

    /** Base path of version 1 of the admin API. */
    static final String V1 = "/admin/v1";

    /** Slugs: lower-case letters, digits and inner hyphens, as in URLs. */
    static final String SLUG = "[a-z0-9]([a-z0-9-]*[a-z0-9])?";

    static final String SLUG_MESSAGE = "must be lower-case letters, digits and inner hyphens";

    /** A non-negative decimal written as a JSON string, for example {@code "2.50"}. */
    static final String DECIMAL = "\\d{1,12}(\\.\\d{1,12})?";

    static final String DECIMAL_MESSAGE = "must be a non-negative decimal string such as \"2.50\"";

    /** A UUID in a query parameter, which is read as text so that a malformed one is a 400, not a 404. */
    static final String UUID_TEXT = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    static final String UUID_MESSAGE = "must be a UUID";

    /** A calendar month, for example {@code 2026-12}. */
    static final String PERIOD = "\\d{4}-(0[1-9]|1[0-2])";

    static final String PERIOD_MESSAGE = "must be a month such as 2026-12";

    private AdminApi() {
    }

    /** 201 Created with the new resource's path in {@code Location} and its representation as the body. */
    static <T> RestResponse<T> created(String path, T body) {
        return RestResponse.ResponseBuilder.<T>created(URI.create(V1 + path)).entity(body).build();
    }

    /**
     * The clock's instant as PostgreSQL stores it, in whole microseconds, so that the response that creates a
     * record shows the same time as every later read.
     */
    static Instant now(Clock clock) {
        return stored(clock.instant());
    }

    /** An instant cut to the microseconds a {@code timestamptz} keeps. */
    static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** Amounts are JSON strings, never floats, and never in exponent notation. */
    static String decimal(BigDecimal amount) {
        return amount == null ? null : amount.toPlainString();
    }
}

package io.tollbooth.portal.web;

import io.tollbooth.portal.admin.AdminException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Currency;

/**
 * The keys page's form for a new key, as typed: a blank field is no value. Every limit is optional; a key without
 * any is limited by its client's limits only.
 *
 * @param expiresOn the last day, in the client's zone, on which the key works; null for a key that never expires
 * @param monthlyBudget the charge the key's requests may reach per month, in the client's currency
 */
record NewKeyForm(String name, LocalDate expiresOn, Integer requestsPerMinute, Long tokensPerMinute,
        BigDecimal monthlyBudget) {

    /**
     * Reads the form's fields.
     *
     * @throws AdminException (400) for a value that is not a number or date, not positive, an expiry before
     *     {@code today} or a budget with more decimals than the currency has
     */
    static NewKeyForm parse(String name, String expiresOn, String requestsPerMinute, String tokensPerMinute,
            String monthlyBudget, LocalDate today, Currency currency) {
        LocalDate lastDay = blank(expiresOn) ? null : date("expires on", expiresOn);
        if (lastDay != null && lastDay.isBefore(today)) {
            throw AdminException.invalid("a key cannot expire before today, " + today);
        }
        Long rpm = blank(requestsPerMinute) ? null : positive("requests per minute", requestsPerMinute);
        if (rpm != null && rpm > Integer.MAX_VALUE) {
            throw AdminException.invalid("requests per minute must be at most " + Integer.MAX_VALUE);
        }
        Long tpm = blank(tokensPerMinute) ? null : positive("tokens per minute", tokensPerMinute);
        BigDecimal budget = blank(monthlyBudget) ? null : budget(monthlyBudget, currency);
        return new NewKeyForm(name.strip(), lastDay, rpm == null ? null : rpm.intValue(), tpm, budget);
    }

    /** Whether any limit was given, so that the key needs limits of its own. */
    boolean hasLimits() {
        return requestsPerMinute != null || tokensPerMinute != null || monthlyBudget != null;
    }

    /** The instant the key stops working: the end of its last day in the client's zone; null if it never does. */
    Instant expiresAt(ZoneId zone) {
        return expiresOn == null ? null : expiresOn.plusDays(1).atStartOfDay(zone).toInstant();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw AdminException.invalid(field + " must be a date such as 2026-12-31");
        }
    }

    private static long positive(String field, String value) {
        try {
            long number = Long.parseLong(value.strip());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Answered below, as for zero.
        }
        throw AdminException.invalid(field + " must be a whole number above zero");
    }

    private static BigDecimal budget(String value, Currency currency) {
        try {
            BigDecimal amount = new BigDecimal(value.strip());
            if (amount.signum() >= 0 && amount.stripTrailingZeros().scale() <= currency.getDefaultFractionDigits()) {
                return amount;
            }
        } catch (NumberFormatException e) {
            // Answered below, as for a negative amount.
        }
        throw AdminException.invalid("the monthly budget must be an amount of " + currency.getCurrencyCode()
                + " of zero or more, such as 50.00");
    }
}

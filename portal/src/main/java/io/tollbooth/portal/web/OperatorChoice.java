package io.tollbooth.portal.web;

import io.tollbooth.portal.admin.AdminException;
import io.tollbooth.portal.tenant.Operator;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * The operator and month a staff page is about, from its {@code operator} and {@code month} query parameters: an
 * installation usually has one operator, which is then chosen without asking; the month defaults to the last one
 * that has ended (the one a month-end run closes).
 *
 * @param operators every operator, by name, for the page's picker
 * @param operatorId the chosen operator; null while there is more than one and none was named
 * @param month the chosen month, for example {@code 2026-12}
 */
public record OperatorChoice(List<Operator> operators, UUID operatorId, String operatorName, YearMonth month) {

    static OperatorChoice of(String operator, String month, Clock clock) {
        List<Operator> operators = Operator.list("order by name, slug");
        Operator chosen = null;
        if (operator != null && !operator.isBlank()) {
            UUID id = parseId(operator);
            chosen = operators.stream().filter(o -> o.id.equals(id)).findFirst()
                    .orElseThrow(() -> AdminException.notFound("operator", id));
        } else if (operators.size() == 1) {
            chosen = operators.get(0);
        }
        YearMonth chosenMonth = month == null || month.isBlank()
                ? YearMonth.now(clock.withZone(ZoneOffset.UTC)).minusMonths(1) : parseMonth(month);
        return new OperatorChoice(operators, chosen == null ? null : chosen.id, chosen == null ? null : chosen.name,
                chosenMonth);
    }

    /** Whether an operator has been chosen, so that the page can show its records. */
    public boolean chosen() {
        return operatorId != null;
    }

    /** The query string that keeps this choice on links, for example {@code operator=…&month=2026-12}. */
    public String query() {
        return (chosen() ? "operator=" + operatorId + "&" : "") + "month=" + month;
    }

    static UUID parseId(String text) {
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw AdminException.invalid("operator must be a UUID");
        }
    }

    static YearMonth parseMonth(String text) {
        try {
            return YearMonth.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw AdminException.invalid("month must be a month such as 2026-12");
        }
    }
}

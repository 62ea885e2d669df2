package io.tollbooth.metering.rating;

import java.time.YearMonth;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * One client's quantity of one unit of one model in one calendar month of its own time zone
 * ({@code monthly_usage}).
 */
public record MonthlyKey(UUID clientId, UUID modelId, UsageUnit unit, YearMonth month) {

    /** A fixed order, so that concurrent writers lock counters in the same order and cannot deadlock. */
    public static final Comparator<MonthlyKey> ORDER = Comparator.comparing(MonthlyKey::clientId)
            .thenComparing(MonthlyKey::modelId)
            .thenComparing(key -> key.unit().code())
            .thenComparing(MonthlyKey::month);

    public MonthlyKey {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(month, "month");
    }
}

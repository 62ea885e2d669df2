package io.tollbooth.portal.usage;

import io.tollbooth.billing.money.CurrencyRounding;
import io.tollbooth.portal.tenant.Client;
import io.tollbooth.portal.usage.ClientDashboard.Budget;
import io.tollbooth.portal.usage.ClientDashboard.Percentiles;
import io.tollbooth.portal.usage.ClientDashboard.Period;
import io.tollbooth.portal.usage.ClientDashboard.Series;
import io.tollbooth.portal.usage.ClientDashboard.Speed;
import io.tollbooth.usage.event.TokenCounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds a client's {@link ClientDashboard} from the daily activity, the client's budget ({@code client_limit}) and
 * the latencies metering stored with each usage event. Callers pass a {@link Client} they obtained through the
 * caller's scope.
 */
@ApplicationScoped
public class ClientDashboardReport {

    // Nearest-rank percentiles, so that each is a latency some request really had.
    private static final String SPEED = """
            SELECT count(*),
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms),
                   percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms),
                   percentile_disc(0.99) WITHIN GROUP (ORDER BY latency_ms),
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY ttft_ms),
                   percentile_disc(0.95) WITHIN GROUP (ORDER BY ttft_ms),
                   percentile_disc(0.99) WITHIN GROUP (ORDER BY ttft_ms)
              FROM usage_event
             WHERE client_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3 AND rating_status <> 'REJECTED'
            """;

    private static final String BUDGET = """
            SELECT budget_amount FROM client_limit
             WHERE client_id = ?1 AND budget_amount IS NOT NULL AND budget_currency = ?2
            """;

    @Inject
    DailyActivityReport activity;

    @Inject
    EntityManager entityManager;

    @Inject
    Clock clock;

    /** The client's dashboard as of now, in its own zone and currency. */
    public ClientDashboard read(Client client) {
        ZoneId zone = client.zoneId();
        Currency currency = Currency.getInstance(client.currency);
        LocalDate today = LocalDate.now(clock.withZone(zone));
        YearMonth month = YearMonth.from(today);

        DailyActivity current = activity.read(client, month.atDay(1), month.atEndOfMonth(), zone);
        YearMonth before = month.minusMonths(1);
        DailyActivity previous = activity.read(client, before.atDay(1), before.atEndOfMonth(), zone);
        Budget budget = budget(current, today, budgetOf(client), currency);
        return new ClientDashboard(client.currency, client.timeZone, today, period(month, current, today, currency),
                period(before, previous, today, currency), budget, speed(client, current));
    }

    private static Period period(YearMonth month, DailyActivity activity, LocalDate today, Currency currency) {
        List<LocalDate> days = activity.days().stream().map(DailyActivity.Day::date).toList();
        Function<DailyActivity.Day, DailyActivity.Usage> total = day -> day.activity().usage();
        Map<String, Function<DailyActivity.Day, DailyActivity.Usage>> models = new LinkedHashMap<>();
        activity.total().byModel().forEach(model -> models.put(model.model(), day -> day.activity().byModel()
                .stream().filter(m -> m.model().equals(model.model())).findFirst()
                .map(DailyActivity.ModelUsage::usage).orElse(DailyActivity.Usage.NONE)));
        Map<String, Function<DailyActivity.Day, DailyActivity.Usage>> keys = new LinkedHashMap<>();
        activity.total().byKey().forEach(key -> keys.put(keyLabel(key), day -> day.activity().byKey()
                .stream().filter(k -> Objects.equals(k.apiKeyId(), key.apiKeyId())).findFirst()
                .map(DailyActivity.KeyUsage::usage).orElse(DailyActivity.Usage.NONE)));

        DailyActivity.Usage all = activity.total().usage();
        return new Period(month, days, tokens(activity, total, today), spend(activity, total, today, currency),
                tokens(all.tokens()), ClientDashboard.plain(CurrencyRounding.toMinorUnit(all.ratedAmount(), currency)),
                series(models, activity, today, currency), series(keys, activity, today, currency));
    }

    private static List<Series> series(Map<String, Function<DailyActivity.Day, DailyActivity.Usage>> parts,
            DailyActivity activity, LocalDate today, Currency currency) {
        return parts.entrySet().stream()
                .map(part -> new Series(part.getKey(), tokens(activity, part.getValue(), today),
                        spend(activity, part.getValue(), today, currency)))
                .toList();
    }

    private static List<Long> tokens(DailyActivity activity, Function<DailyActivity.Day, DailyActivity.Usage> usage,
            LocalDate today) {
        List<Long> values = new ArrayList<>();
        for (DailyActivity.Day day : activity.days()) {
            values.add(day.date().isAfter(today) ? null : tokens(usage.apply(day).tokens()));
        }
        return values;
    }

    private static List<String> spend(DailyActivity activity, Function<DailyActivity.Day, DailyActivity.Usage> usage,
            LocalDate today, Currency currency) {
        List<String> values = new ArrayList<>();
        for (DailyActivity.Day day : activity.days()) {
            values.add(day.date().isAfter(today) ? null
                    : ClientDashboard.plain(CurrencyRounding.toMinorUnit(usage.apply(day).ratedAmount(), currency)));
        }
        return values;
    }

    /**
     * The burn-down and the forecast. Sums are made at full precision and each shown value is rounded once; the
     * forecast up to day {@code d} is the charge so far times {@code d} over the days elapsed, today included.
     */
    private static Budget budget(DailyActivity current, LocalDate today, Optional<BigDecimal> amount,
            Currency currency) {
        BigDecimal spent = current.total().usage().ratedAmount();
        BigDecimal elapsed = BigDecimal.valueOf(today.getDayOfMonth());
        List<String> spentToDate = new ArrayList<>();
        List<String> forecastToDate = new ArrayList<>();
        List<String> remainingToDate = new ArrayList<>();
        List<String> forecastRemainingToDate = new ArrayList<>();
        BigDecimal cumulative = BigDecimal.ZERO;
        BigDecimal forecast = spent;
        for (DailyActivity.Day day : current.days()) {
            cumulative = cumulative.add(day.activity().usage().ratedAmount());
            forecast = spent.multiply(BigDecimal.valueOf(day.date().getDayOfMonth()))
                    .divide(elapsed, MathContext.DECIMAL64);
            boolean past = !day.date().isAfter(today);
            boolean projected = !day.date().isBefore(today);
            spentToDate.add(past ? round(cumulative, currency) : null);
            forecastToDate.add(projected ? round(forecast, currency) : null);
            remainingToDate.add(past ? left(amount, cumulative, currency) : null);
            forecastRemainingToDate.add(projected ? left(amount, forecast, currency) : null);
        }
        return new Budget(amount.map(a -> round(a, currency)).orElse(null), round(spent, currency),
                left(amount, spent, currency), round(forecast, currency), left(amount, forecast, currency),
                spentToDate, forecastToDate, remainingToDate, forecastRemainingToDate);
    }

    /** The budget less a charge, rounded; null without a budget. */
    private static String left(Optional<BigDecimal> budget, BigDecimal charge, Currency currency) {
        return budget.map(amount -> round(amount.subtract(charge), currency)).orElse(null);
    }

    private Optional<BigDecimal> budgetOf(Client client) {
        return entityManager.createNativeQuery(BUDGET, BigDecimal.class)
                .setParameter(1, client.id).setParameter(2, client.currency)
                .getResultStream().findFirst().map(BigDecimal.class::cast);
    }

    private Speed speed(Client client, DailyActivity current) {
        Object[] row = (Object[]) entityManager.createNativeQuery(SPEED)
                .setParameter(1, client.id).setParameter(2, current.start()).setParameter(3, current.end())
                .getSingleResult();
        return new Speed(number(row[0]), new Percentiles(number(row[1]), number(row[2]), number(row[3])),
                new Percentiles(number(row[4]), number(row[5]), number(row[6])));
    }

    private static Long number(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    private static String round(BigDecimal amount, Currency currency) {
        return ClientDashboard.plain(CurrencyRounding.toMinorUnit(amount, currency));
    }

    /** Every token the client is billed for: input of every kind and output (reasoning is part of output). */
    static long tokens(TokenCounts tokens) {
        return tokens.input() + tokens.cachedInput() + tokens.cacheWrite() + tokens.output();
    }

    private static String keyLabel(DailyActivity.KeyUsage key) {
        return key.keyPrefix() == null ? "(no key)" : key.keyName() + " (" + key.keyPrefix() + "…)";
    }
}

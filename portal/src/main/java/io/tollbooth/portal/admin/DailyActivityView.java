package io.tollbooth.portal.admin;

import io.tollbooth.billing.money.CurrencyRounding;
import io.tollbooth.portal.usage.DailyActivity;
import io.tollbooth.usage.event.TokenCounts;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/**
 * A client's activity per day as the admin API and the client API show it: spend, tokens and requests per day,
 * by model and by API key, in the time zone asked for.
 *
 * @param timeZone the IANA zone whose midnights bound the days
 * @param from first day (inclusive)
 * @param to last day (inclusive)
 * @param currency ISO 4217 code of every amount
 * @param days every day of the range, in order, idle days included
 * @param total the whole range (its {@code date} is null)
 */
public record DailyActivityView(UUID clientId, String timeZone, LocalDate from, LocalDate to, String currency,
        List<Activity> days, Activity total) {

    /** The view of a report. */
    public static DailyActivityView of(DailyActivity activity) {
        Currency currency = Currency.getInstance(activity.currency());
        List<Activity> days = activity.days().stream()
                .map(day -> Activity.of(day.date(), day.activity(), currency))
                .toList();
        return new DailyActivityView(activity.clientId(), activity.zone().getId(), activity.from(), activity.to(),
                activity.currency(), days, Activity.of(null, activity.total(), currency));
    }

    /**
     * What was used on one day, or in the whole range.
     *
     * @param date the day; null for the range's total
     * @param requests usage events received, whatever their rating status
     * @param tokens tokens of the events not rejected, by kind
     * @param ratedAmount the charge at full precision, as a decimal string, for example {@code "0.0305"}
     * @param spend the charge rounded once to the currency's minor unit, for example {@code "0.03"}
     * @param models the same by model, by name
     * @param apiKeys the same by API key, by prefix; usage without a key last
     */
    public record Activity(LocalDate date, long requests, TokenCounts tokens, String ratedAmount, String spend,
            List<ModelActivity> models, List<KeyActivity> apiKeys) {

        static Activity of(LocalDate date, DailyActivity.Breakdown breakdown, Currency currency) {
            DailyActivity.Usage usage = breakdown.usage();
            return new Activity(date, usage.requests(), usage.tokens(), usage.ratedAmount().toPlainString(),
                    rounded(usage, currency),
                    breakdown.byModel().stream().map(model -> ModelActivity.of(model, currency)).toList(),
                    breakdown.byKey().stream().map(key -> KeyActivity.of(key, currency)).toList());
        }
    }

    /** One model's part of a day (or of the range); amounts as in {@link Activity}. */
    public record ModelActivity(String model, long requests, TokenCounts tokens, String ratedAmount, String spend) {

        static ModelActivity of(DailyActivity.ModelUsage model, Currency currency) {
            DailyActivity.Usage usage = model.usage();
            return new ModelActivity(model.model(), usage.requests(), usage.tokens(),
                    usage.ratedAmount().toPlainString(), rounded(usage, currency));
        }
    }

    /**
     * One API key's part of a day (or of the range); amounts as in {@link Activity}.
     *
     * @param apiKeyId null for usage recorded without a key
     * @param keyPrefix the key's public prefix; never the key
     * @param keyName the name the client gave the key
     */
    public record KeyActivity(UUID apiKeyId, String keyPrefix, String keyName, long requests, TokenCounts tokens,
            String ratedAmount, String spend) {

        static KeyActivity of(DailyActivity.KeyUsage key, Currency currency) {
            DailyActivity.Usage usage = key.usage();
            return new KeyActivity(key.apiKeyId(), key.keyPrefix(), key.keyName(), usage.requests(), usage.tokens(),
                    usage.ratedAmount().toPlainString(), rounded(usage, currency));
        }
    }

    private static String rounded(DailyActivity.Usage usage, Currency currency) {
        return CurrencyRounding.toMinorUnit(usage.ratedAmount(), currency).toPlainString();
    }
}

package io.tollbooth.metering.ledger;

import io.tollbooth.metering.rating.ChargeSource;
import io.tollbooth.metering.rating.ClientPlan;
import io.tollbooth.metering.rating.MonthlyKey;
import io.tollbooth.metering.rating.Price;
import io.tollbooth.metering.rating.PriceBook;
import io.tollbooth.metering.rating.PriceList;
import io.tollbooth.metering.rating.Schedule;
import io.tollbooth.metering.rating.TierMode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Moves a month's rows charged from volume bands to the band the month has reached: with volume pricing every unit
 * of the month costs the price of the band its total falls in, so rows rated while the total was lower change
 * when a new band is reached; rows already invoiced keep theirs.
 */
final class VolumeBands {

    private static final Logger LOG = Logger.getLogger(VolumeBands.class);

    private static final String MONTH_ROWS = "SELECT r.id, r.occurred_at, r.quantity, r.charge_source, r.price_id,"
            + " r.client_price_id, r.amount, e.api_key_id, e.requested_model FROM rated_usage r"
            + " JOIN usage_event e ON e.id = r.usage_event_id WHERE r.client_id = ? AND r.model_id = ?"
            + " AND r.token_kind = ? AND r.occurred_at >= ? AND r.occurred_at < ?"
            + " AND r.charge_source IN ('plan', 'client') FOR UPDATE OF r";

    private static final String MOVE = "UPDATE rated_usage SET price_id = ?, client_price_id = ?, band_from = ?,"
            + " price_per_million = ?, amount = ? WHERE id = ?";

    private VolumeBands() {
    }

    /**
     * Moves every volume-priced row of the month to the band of {@code total}, the month's quantity now, leaving
     * rows whose event time {@code open} refuses (those on an issued invoice) as they are. The changes of amount
     * are added to {@code hours}.
     */
    static void moveMonth(Connection connection, PriceBook prices, ClientPlan client, MonthlyKey key, long total,
            Predicate<Instant> open, HourlyUsage hours) throws SQLException {
        int moved = 0;
        try (PreparedStatement select = connection.prepareStatement(MONTH_ROWS);
                PreparedStatement move = connection.prepareStatement(MOVE)) {
            select.setObject(1, key.clientId());
            select.setObject(2, key.modelId());
            select.setString(3, key.unit().code());
            select.setObject(4, utc(key.month().atDay(1).atStartOfDay(client.zone()).toInstant()));
            select.setObject(5, utc(key.month().plusMonths(1).atDay(1).atStartOfDay(client.zone()).toInstant()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (open.test(instant(rows)) && addMove(move, prices, client, key, total, rows, hours)) {
                        moved++;
                    }
                }
            }
            if (moved > 0) {
                move.executeBatch();
            }
        }
        LOG.infof("volume band reached; month moved to it: client=%s model=%s unit=%s month=%s quantity=%d rows=%d",
                key.clientId(), key.modelId(), key.unit().code(), key.month(), total, moved);
    }

    private static boolean addMove(PreparedStatement move, PriceBook prices, ClientPlan client, MonthlyKey key,
            long total, ResultSet row, HourlyUsage hours) throws SQLException {
        ChargeSource source = ChargeSource.ofCode(row.getString(4));
        UUID priceId = row.getObject(source == ChargeSource.PLAN ? 5 : 6, UUID.class);
        Optional<Price> current = prices.price(priceId);
        if (current.isEmpty() || current.get().tierMode() != TierMode.VOLUME) {
            return false;
        }
        Instant at = instant(row);
        PriceList list = source == ChargeSource.PLAN ? prices.plan(current.get().ownerId(), key.modelId())
                : prices.clientPrices(current.get().ownerId(), key.modelId());
        Optional<Schedule> schedule = list.schedule(key.unit(), current.get().longContextOver(), at);
        if (schedule.isEmpty()) {
            return false;
        }
        Price band = schedule.get().bandFor(total);
        if (band.id().equals(priceId)) {
            return false;
        }
        move.setObject(1, source == ChargeSource.PLAN ? band.id() : null, Types.OTHER);
        move.setObject(2, source == ChargeSource.CLIENT ? band.id() : null, Types.OTHER);
        move.setLong(3, band.monthlyFrom());
        move.setBigDecimal(4, band.unitPrice());
        BigDecimal amount = key.unit().amount(row.getLong(3), band.unitPrice());
        move.setBigDecimal(5, amount);
        move.setLong(6, row.getLong(1));
        move.addBatch();
        UUID apiKey = row.getObject(8, UUID.class);
        hours.money(HourlyUsage.bucket(client.clientId(), client.zone(), apiKey == null ? null : apiKey.toString(),
                row.getString(9), at), amount.subtract(row.getBigDecimal(7)), null);
        return true;
    }

    private static Instant instant(ResultSet row) throws SQLException {
        return row.getObject(2, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

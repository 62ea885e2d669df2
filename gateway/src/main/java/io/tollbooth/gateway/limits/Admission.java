package io.tollbooth.gateway.limits;

import io.tollbooth.usage.event.TokenCounts;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * An admitted request's hold on its limits: its request, in-flight slot, worst-case tokens and worst-case charge,
 * counted in every scope that limits it. {@link #settle} releases the hold once and counts what the request really
 * used, as metered.
 */
public final class Admission {

    /** A request that no limit applies to, or that was admitted without counters: settling it does nothing. */
    public static final Admission UNLIMITED = new Admission(null, null, null, null, null);

    private static final Logger LOG = Logger.getLogger(Admission.class);

    private final Counters counters;
    private final Counters.Reservation reservation;
    private final List<String> scopes;
    private final ModelPrices.Snapshot prices;
    private final MoneyUnits units;
    private final AtomicBoolean settled = new AtomicBoolean();

    Admission(Counters counters, Counters.Reservation reservation, List<String> scopes, ModelPrices.Snapshot prices,
            MoneyUnits units) {
        this.counters = counters;
        this.reservation = reservation;
        this.scopes = scopes;
        this.prices = prices;
        this.units = units;
    }

    /**
     * Settles the request with its metered usage: its reservation is released, its window corrected to the tokens
     * it used and their charge added to the period's spend. Only the first settlement counts; any thread may make
     * it, and it never blocks.
     *
     * @return completes once the counters have it; a failure is logged and needs no handling
     *
     * @param tokens the metered tokens
     * @param rated whether the rating will charge them (false for an event it rejects, or nothing billable)
     */
    public Future<Void> settle(TokenCounts tokens, boolean rated) {
        if (counters == null || !settled.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return send(tokens.total(), rated ? spendUnits(tokens) : 0);
    }

    /** Settles a request whose usage could not be measured at its worst case, which is then taken as spent. */
    public Future<Void> settleAtWorstCase() {
        if (counters == null || !settled.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return send(reservation.tokens(), reservation.costUnits());
    }

    /** Whether this admission holds anything to settle. */
    public boolean counted() {
        return counters != null;
    }

    private Future<Void> send(long tokens, long spendUnits) {
        return counters.settle(new Counters.Settlement(reservation.clientId(), reservation.requestId(),
                        reservation.windowStartMillis(), tokens - reservation.tokens(), spendUnits,
                        reservation.period(), scopes))
                .onFailure(failure -> LOG.warnf("outcome=limits_settle_failed request_id=%s client=%s cause=\"%s\"",
                        reservation.requestId(), reservation.clientId(), failure.toString()));
    }

    /** The charge of the metered tokens, as the rating will make it. */
    private long spendUnits(TokenCounts tokens) {
        if (!prices.priced()) {
            return 0;
        }
        BigDecimal charge = prices.charge(tokens);
        if (charge == null) {
            LOG.warnf("outcome=spend_unpriced request_id=%s client=%s reason=\"a token kind used has no price\"",
                    reservation.requestId(), reservation.clientId());
            return 0;
        }
        return units.nearest(charge);
    }
}

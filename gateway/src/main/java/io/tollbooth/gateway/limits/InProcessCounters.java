package io.tollbooth.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Counters in this process's memory, for a single gateway replica: the same rules as {@link RedisCounters}, each
 * step under the lock of the client's counters. A client's counters are dropped after an hour without requests
 * (or a lease, if longer); its spend is then seeded again from the ledger.
 */
public final class InProcessCounters implements Counters {

    private final Cache<String, ClientCounters> clients;
    private final Clock clock;

    /**
     * @param idleExpiry how long a client's counters are kept without a request
     * @param clock the clock that spend counters expire by
     */
    public InProcessCounters(Duration idleExpiry, Clock clock) {
        this.clients = Caffeine.newBuilder().expireAfterAccess(idleExpiry).build();
        this.clock = clock;
    }

    @Override
    public Future<Reserved> reserve(Reservation reservation) {
        ClientCounters counters = clients.get(reservation.clientId(), id -> new ClientCounters());
        synchronized (counters) {
            return Future.succeededFuture(counters.reserve(reservation, clock.millis()));
        }
    }

    @Override
    public Future<Void> seed(String clientId, String scope, String period, long spendUnits, long ttlMillis) {
        ClientCounters counters = clients.get(clientId, id -> new ClientCounters());
        synchronized (counters) {
            counters.scope(scope).seed(period, spendUnits, clock.millis() + ttlMillis, clock.millis());
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> settle(Settlement settlement) {
        ClientCounters counters = clients.getIfPresent(settlement.clientId());
        if (counters != null) {
            synchronized (counters) {
                counters.settle(settlement, clock.millis());
            }
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Usage> peek(String clientId, String scope, long windowStartMillis, String period,
            long nowMillis) {
        ClientCounters counters = clients.getIfPresent(clientId);
        if (counters == null) {
            return Future.succeededFuture(new Usage(0, 0, 0, -1, 0));
        }
        synchronized (counters) {
            ScopeCounters counted = counters.scopes.get(scope);
            return Future.succeededFuture(counted == null ? new Usage(0, 0, 0, -1, 0)
                    : counted.peek(windowStartMillis, period, nowMillis, clock.millis()));
        }
    }

    /** All scopes of one client; guarded by its own monitor. */
    private static final class ClientCounters {

        private final Map<String, ScopeCounters> scopes = new HashMap<>();

        ScopeCounters scope(String scope) {
            return scopes.computeIfAbsent(scope, name -> new ScopeCounters());
        }

        Reserved reserve(Reservation reservation, long clockMillis) {
            List<Usage> usage = new ArrayList<>(reservation.quotas().size());
            List<Integer> unseeded = new ArrayList<>(0);
            int refusedScope = -1;
            Limit refusedBy = null;
            for (int i = 0; i < reservation.quotas().size(); i++) {
                Quota quota = reservation.quotas().get(i);
                ScopeCounters scope = scope(quota.scope());
                Usage before = scope.usage(reservation, quota, clockMillis);
                usage.add(before);
                if (quota.budgetUnits() >= 0 && before.spentUnits() < 0) {
                    unseeded.add(i);
                }
                Limit refusal = refusal(quota, before, reservation);
                if (refusedBy == null && refusal != null) {
                    refusedScope = i;
                    refusedBy = refusal;
                }
            }
            if (refusedBy != null) {
                return new Reserved(false, refusedScope, refusedBy, List.of(), usage);
            }
            if (!unseeded.isEmpty()) {
                return new Reserved(false, -1, null, unseeded, usage);
            }
            for (Quota quota : reservation.quotas()) {
                scope(quota.scope()).count(reservation, quota);
            }
            return new Reserved(true, -1, null, List.of(), usage);
        }

        void settle(Settlement settlement, long clockMillis) {
            for (String name : settlement.scopes()) {
                ScopeCounters scope = scopes.get(name);
                if (scope != null) {
                    scope.settle(settlement, clockMillis);
                }
            }
        }
    }

    /** The limit that {@code reservation} would break in one scope, or null; an unseeded spend breaks none. */
    static Limit refusal(Quota quota, Usage before, Reservation reservation) {
        if (quota.requestsPerMinute() >= 0 && before.requests() + 1 > quota.requestsPerMinute()) {
            return Limit.REQUESTS;
        }
        if (quota.tokensPerMinute() >= 0 && before.tokens() + reservation.tokens() > quota.tokensPerMinute()) {
            return Limit.TOKENS;
        }
        if (quota.maxInFlight() >= 0 && before.inFlight() + 1 > quota.maxInFlight()) {
            return Limit.IN_FLIGHT;
        }
        if (quota.budgetUnits() >= 0 && before.spentUnits() >= 0
                && before.spentUnits() + before.heldUnits() + reservation.costUnits() > quota.budgetUnits()) {
            return Limit.BUDGET;
        }
        return null;
    }

    /** The counters of one scope. */
    private static final class ScopeCounters {

        private long windowStart = Long.MIN_VALUE;
        private long requests;
        private long tokens;
        private final Map<String, Lease> leases = new HashMap<>();
        private long heldUnits;
        private final Map<String, Spend> spend = new HashMap<>();

        /** The counts before the request, after releasing leases that ran out and starting a new window. */
        Usage usage(Reservation reservation, Quota quota, long clockMillis) {
            if (windowStart != reservation.windowStartMillis()) {
                windowStart = reservation.windowStartMillis();
                requests = 0;
                tokens = 0;
            }
            for (Iterator<Lease> it = leases.values().iterator(); it.hasNext(); ) {
                Lease lease = it.next();
                if (lease.deadlineMillis() <= reservation.nowMillis()) {
                    heldUnits -= lease.heldUnits();
                    it.remove();
                }
            }
            Spend spent = spend.get(reservation.period());
            if (spent != null && spent.expiresAtMillis() <= clockMillis) {
                spend.remove(reservation.period());
                spent = null;
            }
            return new Usage(requests, tokens, leases.size(), spent == null ? -1 : spent.units(), heldUnits);
        }

        Usage peek(long window, String period, long nowMillis, long clockMillis) {
            long inFlight = leases.values().stream().filter(lease -> lease.deadlineMillis() > nowMillis).count();
            Spend spent = spend.get(period);
            boolean live = spent != null && spent.expiresAtMillis() > clockMillis;
            return new Usage(window == windowStart ? requests : 0, window == windowStart ? tokens : 0, inFlight,
                    live ? spent.units() : -1, heldUnits);
        }

        void count(Reservation reservation, Quota quota) {
            requests++;
            tokens += reservation.tokens();
            if (quota.leased()) {
                long held = quota.budgetUnits() >= 0 ? reservation.costUnits() : 0;
                leases.put(reservation.requestId(),
                        new Lease(reservation.nowMillis() + reservation.leaseMillis(), held));
                heldUnits += held;
            }
        }

        void seed(String period, long units, long expiresAtMillis, long clockMillis) {
            Spend current = spend.get(period);
            if (current == null || current.expiresAtMillis() <= clockMillis) {
                spend.put(period, new Spend(units, expiresAtMillis));
            }
        }

        void settle(Settlement settlement, long clockMillis) {
            if (windowStart == settlement.windowStartMillis()) {
                tokens += settlement.tokenDelta();
            }
            Lease lease = leases.remove(settlement.requestId());
            if (lease != null) {
                heldUnits -= lease.heldUnits();
            }
            Spend spent = spend.get(settlement.period());
            if (settlement.spendUnits() != 0 && spent != null && spent.expiresAtMillis() > clockMillis) {
                spend.put(settlement.period(), new Spend(spent.units() + settlement.spendUnits(),
                        spent.expiresAtMillis()));
            }
        }
    }

    private record Lease(long deadlineMillis, long heldUnits) {
    }

    private record Spend(long units, long expiresAtMillis) {
    }
}

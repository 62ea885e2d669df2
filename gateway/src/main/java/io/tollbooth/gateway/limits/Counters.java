package io.tollbooth.gateway.limits;

import io.vertx.core.Future;
import java.util.List;

/**
 * The counters behind admission: requests and tokens per 60-second window, requests in flight, budget
 * reservations and spend per billing period, for each scope (a client and its keys).
 *
 * <p>Each call is one atomic step over every scope it names: a reservation either applies to all of them or to
 * none, so a request refused by one limit consumes nothing from the others, and parallel reservations can never
 * together pass a limit that each alone would meet. Implementations: {@link InProcessCounters} (one gateway
 * replica) and {@link RedisCounters} (shared by all replicas).
 */
public interface Counters {

    /** Checks every limit of {@code reservation} and, when all pass, counts the request against each. */
    Future<Reserved> reserve(Reservation reservation);

    /**
     * Sets a scope's spend for a period, read from the rated ledger, unless a spend is already there: several
     * replicas seeding at once leave the value of one of them, never their sum.
     *
     * @param spendUnits the spend in {@link MoneyUnits}
     * @param ttlMillis how long the counter lives before it is seeded again
     */
    Future<Void> seed(String clientId, String scope, String period, long spendUnits, long ttlMillis);

    /** Releases a reservation and counts what the request really used. */
    Future<Void> settle(Settlement settlement);

    /**
     * What one scope has counted, changing nothing: for operators and tests.
     *
     * @param windowStartMillis the window whose requests and tokens to read
     * @param nowMillis the time against which leases count as in flight
     */
    Future<Usage> peek(String clientId, String scope, long windowStartMillis, String period, long nowMillis);

    /**
     * The limits of one scope for one request, in counter units; -1 is no limit.
     *
     * @param scope {@code c} for the client, {@code k:<key id>} for a key
     * @param requestsPerMinute requests per window
     * @param tokensPerMinute tokens per window
     * @param maxInFlight requests running at once
     * @param budgetUnits spend allowed in the period, in {@link MoneyUnits}
     */
    record Quota(String scope, long requestsPerMinute, long tokensPerMinute, long maxInFlight, long budgetUnits) {

        /** Whether the request holds a lease (an in-flight slot, a budget reservation) in this scope. */
        boolean leased() {
            return maxInFlight >= 0 || budgetUnits >= 0;
        }
    }

    /**
     * One request asking to be admitted.
     *
     * @param clientId the client, which groups all counters of its scopes (one Redis hash slot)
     * @param requestId the request, which names its lease
     * @param nowMillis the time of admission, by the gateway's clock
     * @param windowStartMillis the start of the 60-second window {@code nowMillis} falls in
     * @param leaseMillis how long the lease holds if the request is never settled
     * @param tokens the worst-case tokens of the request
     * @param costUnits the worst-case charge of the request, 0 when it cannot be priced
     * @param period the billing period, for example {@code 2026-03}
     * @param quotas the scopes, the client's first
     */
    record Reservation(String clientId, String requestId, long nowMillis, long windowStartMillis, long leaseMillis,
            long tokens, long costUnits, String period, List<Quota> quotas) {
    }

    /**
     * What one scope had counted before the request, for the rate-limit headers.
     *
     * @param requests requests in the window
     * @param tokens tokens in the window
     * @param inFlight requests running
     * @param spentUnits settled spend in the period, -1 when unknown
     * @param heldUnits reserved, unsettled spend
     */
    record Usage(long requests, long tokens, long inFlight, long spentUnits, long heldUnits) {
    }

    /** Which limit refused a request. */
    enum Limit {
        REQUESTS, TOKENS, IN_FLIGHT, BUDGET
    }

    /**
     * The answer to a reservation.
     *
     * @param admitted whether the request was counted
     * @param refusedScope index in the quotas of the scope that refused it, -1 when none did
     * @param refusedBy the limit that refused it, or null
     * @param unseeded indexes of the scopes whose spend must be seeded before the request can be judged (nothing
     *     was counted); empty otherwise
     * @param usage what each scope had counted before the request, in the order of the quotas
     */
    record Reserved(boolean admitted, int refusedScope, Limit refusedBy, List<Integer> unseeded, List<Usage> usage) {
    }

    /**
     * A request that has finished.
     *
     * @param clientId the client
     * @param requestId the request, whose lease ends
     * @param windowStartMillis the window it was admitted in
     * @param tokenDelta metered tokens minus the reserved tokens, added to that window while it lasts
     * @param spendUnits the charge of the metered tokens, added to the period's spend where it is budgeted
     * @param period the billing period it was admitted in
     * @param scopes the scopes it was counted in
     */
    record Settlement(String clientId, String requestId, long windowStartMillis, long tokenDelta, long spendUnits,
            String period, List<String> scopes) {
    }
}

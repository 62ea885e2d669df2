package io.tollbooth.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tollbooth.gateway.auth.AuthenticatedKey;
import io.tollbooth.gateway.error.GatewayError;
import io.tollbooth.gateway.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Admits a request against the limits of its key and its client before it is proxied: requests and tokens per
 * minute, requests in flight and the budget of the billing period.
 *
 * <p>The request's worst case is reserved atomically in the {@link Counters}: its prompt tokens (counted with
 * jtokkit) plus every output token it allows ({@code max_completion_tokens} or {@code max_tokens}, else
 * {@code default-max-tokens}), priced at the client's current plan prices for the model. Parallel requests thus
 * can never together overshoot a limit; one refused by any limit consumes nothing. The caller settles the
 * returned {@link Admission} with the metered usage when the exchange is over.
 *
 * <p>A spend counter that is missing (first use, expired, Redis restarted) is seeded from the rated ledger before
 * the request is judged. Nothing here blocks an event loop: lookups are cached, counters are one Redis script or
 * one short lock, and a long prompt, or the first prompt of a model whose encoding is not loaded yet, is tokenized
 * on a worker thread.
 */
@ApplicationScoped
public class AdmissionControl {

    private static final Logger LOG = Logger.getLogger(AdmissionControl.class);
    private static final int SEED_ATTEMPTS = 2;
    private static final long WINDOW_MILLIS = 60_000;
    private static final String CLIENT_SCOPE = "c";

    private final LimitsCatalog limits;
    private final PriceCatalog prices;
    private final SpendLedger ledger;
    private final Counters counters;
    private final LimitsConfig config;
    private final Clock clock;
    private final Vertx vertx;
    private final PromptTokens promptTokens = new PromptTokens();
    /** Client and model pairs warned about a missing price lately, so the warning is not repeated per request. */
    private final Cache<String, Boolean> unpricedWarned = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();

    AdmissionControl(LimitsCatalog limits, PriceCatalog prices, SpendLedger ledger, Counters counters,
            LimitsConfig config, Clock clock, Vertx vertx) {
        this.limits = limits;
        this.prices = prices;
        this.ledger = ledger;
        this.counters = counters;
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
    }

    /**
     * Admits one chat completion request.
     *
     * @param key the authenticated key
     * @param model the requested model, already checked against the catalogue
     * @param body the request body, for its prompt and its output cap
     * @param requestId the gateway's request id, which names the request's lease
     * @return the admission to settle when the request is over; fails with a {@link GatewayException} of
     *     {@link GatewayError#RATE_LIMIT_EXCEEDED}, {@link GatewayError#TOKEN_RATE_LIMIT_EXCEEDED} or
     *     {@link GatewayError#BUDGET_EXCEEDED} (429) when refused, or {@link GatewayError#SERVICE_UNAVAILABLE} when
     *     the counters cannot be asked and {@code fail-open} is off
     */
    public Future<Admission> admit(AuthenticatedKey key, String model, Buffer body, String requestId) {
        return limits.of(key.keyId())
                .timeout(config.storeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .compose(found -> found.any() ? admitLimited(found, model, body, requestId)
                        : Future.succeededFuture(Admission.UNLIMITED))
                .recover(failure -> failure instanceof GatewayException ? Future.failedFuture(failure)
                        : unavailable(key, requestId, failure));
    }

    private Future<Admission> admitLimited(KeyLimits key, String model, Buffer body, String requestId) {
        Instant now = clock.instant();
        return demand(key, model, body, now).compose(demand -> {
            Request request = new Request(key, requestId, now, demand);
            return reserve(request, SEED_ATTEMPTS);
        });
    }

    /** The worst case of the request, only as far as some limit needs it. */
    private Future<Demand> demand(KeyLimits key, String model, Buffer body, Instant now) {
        if (!key.needsTokens()) {
            return Future.succeededFuture(new Demand(0, ModelPrices.Snapshot.UNPRICED, 0));
        }
        long output = RequestedOutput.maxOutputTokens(body, config.defaultMaxTokens());
        Future<Long> prompt = body.length() <= config.inlineEstimateMaxBytes() && promptTokens.ready(model)
                ? Future.succeededFuture(promptTokens.count(body, model))
                : vertx.executeBlocking(() -> promptTokens.count(body, model), false);
        Future<ModelPrices.Snapshot> snapshot = key.needsPrices()
                ? prices.of(key.clientId(), key.planId(), key.operatorId(), model)
                        .timeout(config.storeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .map(found -> found.at(now, key.currency().getCurrencyCode()))
                : Future.succeededFuture(ModelPrices.Snapshot.UNPRICED);
        return Future.all(prompt, snapshot).map(both -> {
            long tokens = saturatedAdd(prompt.result(), output);
            ModelPrices.Snapshot priced = snapshot.result();
            if (key.needsPrices() && !priced.priced() && unpricedWarned.asMap().putIfAbsent(
                    key.clientId() + "/" + model, Boolean.TRUE) == null) {
                LOG.warnf("outcome=budget_unpriced_model client=%s model=%s reason=\"no complete %s price now; "
                        + "admitted without a budget reservation (logged once a minute)\"", key.clientId(), model,
                        key.currency().getCurrencyCode());
            }
            long cost = priced.priced()
                    ? MoneyUnits.of(key.currency()).ceiling(priced.worstCase(prompt.result(), output)) : 0;
            return new Demand(tokens, priced, cost);
        });
    }

    private Future<Admission> reserve(Request request, int seedsLeft) {
        Counters.Reservation reservation = request.reservation(config.lease().toMillis());
        return counters.reserve(reservation)
                .timeout(config.storeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .compose(reserved -> {
                    if (reserved.admitted()) {
                        return Future.succeededFuture(new Admission(counters, reservation, request.scopeIds(),
                                request.demand().prices(), request.units()));
                    }
                    if (reserved.unseeded().isEmpty()) {
                        return Future.failedFuture(refused(request, reservation, reserved));
                    }
                    if (seedsLeft == 0) {
                        return Future.failedFuture(new IllegalStateException("spend counters of client "
                                + request.key().clientId() + " vanished again right after seeding"));
                    }
                    return seed(request, reserved.unseeded()).compose(seeded -> reserve(request, seedsLeft - 1));
                });
    }

    /** Seeds the spend of the given scopes from the rated ledger, all at once. */
    private Future<Void> seed(Request request, List<Integer> scopes) {
        KeyLimits key = request.key();
        List<Future<Void>> seeds = new ArrayList<>(scopes.size());
        for (int scope : scopes) {
            boolean client = request.isClientScope(scope);
            String scopeId = request.scopeIds().get(scope);
            Future<BigDecimal> spent = client
                    ? ledger.clientSpend(key.clientId(), request.period(), key.currency())
                    : ledger.keySpend(key.clientId(), key.keyId(), request.period(), key.currency());
            seeds.add(spent.timeout(config.storeTimeout().toMillis(), TimeUnit.MILLISECONDS).compose(amount -> {
                LOG.debugf("outcome=spend_seeded client=%s scope=%s period=%s spent=%s", key.clientId(), scopeId,
                        request.period().id(), amount.toPlainString());
                return counters.seed(key.clientId().toString(), scopeId, request.period().id(),
                        request.units().nearest(amount), config.spendTtl().toMillis());
            }));
        }
        return Future.all(seeds).mapEmpty();
    }

    private GatewayException refused(Request request, Counters.Reservation reservation, Counters.Reserved reserved) {
        List<String> names = new ArrayList<>(request.scopeIds().size());
        for (int i = 0; i < request.scopeIds().size(); i++) {
            names.add(request.isClientScope(i) ? "client" : "API key");
        }
        return Rejections.of(reservation, reserved, names, request.units(),
                request.key().currency().getCurrencyCode(), request.period().end().toEpochMilli());
    }

    private Future<Admission> unavailable(AuthenticatedKey key, String requestId, Throwable failure) {
        if (config.failOpen()) {
            LOG.errorf("outcome=limits_unavailable action=admitted_unlimited request_id=%s client=%s cause=\"%s\"",
                    requestId, key.clientId(), failure.toString());
            return Future.succeededFuture(Admission.UNLIMITED);
        }
        LOG.errorf("outcome=limits_unavailable action=refused request_id=%s client=%s cause=\"%s\"", requestId,
                key.clientId(), failure.toString());
        return Future.failedFuture(GatewayException.causedBy(GatewayError.SERVICE_UNAVAILABLE,
                "The gateway cannot check your limits right now. Please retry.", failure));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * The worst case of one request.
     *
     * @param tokens prompt plus every output token allowed
     * @param prices the model's prices now, or unpriced
     * @param costUnits the charge of {@code tokens} at those prices, 0 when unpriced
     */
    record Demand(long tokens, ModelPrices.Snapshot prices, long costUnits) {
    }

    /** One request being admitted: its key's limits, its time and its worst case. */
    private record Request(KeyLimits key, String requestId, Instant now, Demand demand) {

        BillingPeriod period() {
            return BillingPeriod.containing(now, key.timeZone());
        }

        MoneyUnits units() {
            return MoneyUnits.of(key.currency());
        }

        /** The limited scopes, the client's first: {@code c} and {@code k:<key id>}. */
        List<String> scopeIds() {
            List<String> scopes = new ArrayList<>(2);
            if (key.client().any()) {
                scopes.add(CLIENT_SCOPE);
            }
            if (key.key().any()) {
                scopes.add("k:" + key.keyId());
            }
            return scopes;
        }

        boolean isClientScope(int index) {
            return CLIENT_SCOPE.equals(scopeIds().get(index));
        }

        Counters.Reservation reservation(long leaseMillis) {
            List<Counters.Quota> quotas = new ArrayList<>(2);
            for (String scope : scopeIds()) {
                quotas.add(quota(scope, CLIENT_SCOPE.equals(scope) ? key.client() : key.key()));
            }
            long nowMillis = now.toEpochMilli();
            return new Counters.Reservation(key.clientId().toString(), requestId, nowMillis,
                    Math.floorDiv(nowMillis, WINDOW_MILLIS) * WINDOW_MILLIS, leaseMillis, demand.tokens(),
                    demand.costUnits(), period().id(), quotas);
        }

        private Counters.Quota quota(String scope, ScopeLimits limits) {
            return new Counters.Quota(scope, orNone(limits.requestsPerMinute()), orNone(limits.tokensPerMinute()),
                    orNone(limits.maxInFlight()), limits.budget() == null ? -1 : units().ceiling(limits.budget()));
        }

        private static long orNone(Number limit) {
            return limit == null ? -1 : limit.longValue();
        }
    }
}

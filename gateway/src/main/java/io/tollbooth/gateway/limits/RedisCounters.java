package io.tollbooth.gateway.limits;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Counters in Redis, shared by every gateway replica. Each reservation and each settlement is one Lua script
 * (reserve.lua, settle.lua beside this class), so it is atomic across all the scopes it touches; all keys of one
 * client carry the client id as hash tag, so they live in one slot of a Redis cluster too.
 *
 * <p>Keys: {@code <prefix>{<client>}:<scope>:w:<window start ms>} (requests and tokens of a 60-second window,
 * expiring a minute after the window ends), {@code ...:lease} and {@code ...:held} (requests in flight and their
 * budget reservations, expiring a lease after the last admission), {@code ...:spend:<yyyy-MM>} (the period's
 * spend, expiring {@code spend-ttl} after it was seeded). A script is sent by its SHA-1 and loaded on
 * {@code NOSCRIPT}, for example after Redis restarted.
 */
public final class RedisCounters implements Counters {

    /** How long a window's counts outlive the window. */
    private static final long WINDOW_GRACE_MILLIS = 60_000;
    private static final long WINDOW_MILLIS = 60_000;

    private final Redis redis;
    private final String prefix;
    private final Script reserve = Script.load("reserve.lua");
    private final Script settle = Script.load("settle.lua");

    /**
     * @param redis the client
     * @param prefix the start of every key, for example {@code tollbooth:limits:}; must not contain braces
     */
    public RedisCounters(Redis redis, String prefix) {
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("tollbooth.gateway.limits.redis.key-prefix must not contain braces: "
                    + prefix);
        }
        this.redis = redis;
        this.prefix = prefix;
    }

    @Override
    public Future<Reserved> reserve(Reservation reservation) {
        List<String> keys = new ArrayList<>(reservation.quotas().size() * 4);
        List<String> args = new ArrayList<>(7 + reservation.quotas().size() * 4);
        for (Quota quota : reservation.quotas()) {
            addKeys(keys, reservation.clientId(), quota.scope(), reservation.windowStartMillis(),
                    reservation.period());
        }
        long windowTtl = reservation.windowStartMillis() + WINDOW_MILLIS + WINDOW_GRACE_MILLIS
                - reservation.nowMillis();
        args.add(reservation.requestId());
        args.add(Long.toString(reservation.nowMillis()));
        args.add(Long.toString(windowTtl));
        args.add(Long.toString(reservation.nowMillis() + reservation.leaseMillis()));
        args.add(Long.toString(reservation.leaseMillis()));
        args.add(Long.toString(reservation.tokens()));
        args.add(Long.toString(reservation.costUnits()));
        for (Quota quota : reservation.quotas()) {
            args.add(Long.toString(quota.requestsPerMinute()));
            args.add(Long.toString(quota.tokensPerMinute()));
            args.add(Long.toString(quota.maxInFlight()));
            args.add(Long.toString(quota.budgetUnits()));
        }
        return run(reserve, keys, args).map(RedisCounters::reserved);
    }

    @Override
    public Future<Void> seed(String clientId, String scope, String period, long spendUnits, long ttlMillis) {
        // SET NX: of several replicas seeding at once, the first wins and the others change nothing.
        return redis.send(Request.cmd(Command.SET).arg(spendKey(clientId, scope, period)).arg(spendUnits)
                .arg("NX").arg("PX").arg(ttlMillis)).mapEmpty();
    }

    @Override
    public Future<Void> settle(Settlement settlement) {
        List<String> keys = new ArrayList<>(settlement.scopes().size() * 4);
        for (String scope : settlement.scopes()) {
            addKeys(keys, settlement.clientId(), scope, settlement.windowStartMillis(), settlement.period());
        }
        List<String> args = List.of(settlement.requestId(), Long.toString(settlement.tokenDelta()),
                Long.toString(settlement.spendUnits()));
        return run(settle, keys, args).mapEmpty();
    }

    @Override
    public Future<Usage> peek(String clientId, String scope, long windowStartMillis, String period,
            long nowMillis) {
        String base = scopeKey(clientId, scope);
        return redis.batch(List.of(
                Request.cmd(Command.HGET).arg(base + ":w:" + windowStartMillis).arg("r"),
                Request.cmd(Command.HGET).arg(base + ":w:" + windowStartMillis).arg("t"),
                Request.cmd(Command.ZCOUNT).arg(base + ":lease").arg("(" + nowMillis).arg("+inf"),
                Request.cmd(Command.GET).arg(base + ":spend:" + period),
                Request.cmd(Command.HGET).arg(base + ":held").arg("total")))
                .map(counts -> new Usage(orZero(counts.get(0)), orZero(counts.get(1)), orZero(counts.get(2)),
                        counts.get(3) == null ? -1 : counts.get(3).toLong(), orZero(counts.get(4))));
    }

    private static long orZero(Response count) {
        return count == null ? 0 : count.toLong();
    }

    private void addKeys(List<String> keys, String clientId, String scope, long windowStart, String period) {
        String base = scopeKey(clientId, scope);
        keys.add(base + ":w:" + windowStart);
        keys.add(base + ":lease");
        keys.add(base + ":held");
        keys.add(base + ":spend:" + period);
    }

    /** The key of a scope's spend in a period. */
    String spendKey(String clientId, String scope, String period) {
        return scopeKey(clientId, scope) + ":spend:" + period;
    }

    private String scopeKey(String clientId, String scope) {
        return prefix + "{" + clientId + "}:" + scope;
    }

    private Future<Response> run(Script script, List<String> keys, List<String> args) {
        return redis.send(script.call(Command.EVALSHA, script.sha(), keys, args)).recover(failure -> {
            if (failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")) {
                return redis.send(script.call(Command.EVAL, script.text(), keys, args));
            }
            return Future.failedFuture(failure);
        });
    }

    private static Reserved reserved(Response response) {
        int status = response.get(0).toInteger();
        int refusedScope = response.get(1).toInteger() - 1;
        int refusedBy = response.get(2).toInteger();
        int scopes = response.get(3).toInteger();
        List<Usage> usage = new ArrayList<>(scopes);
        for (int i = 0; i < scopes; i++) {
            int at = 4 + 5 * i;
            usage.add(new Usage(response.get(at).toLong(), response.get(at + 1).toLong(),
                    response.get(at + 2).toLong(), response.get(at + 3).toLong(), response.get(at + 4).toLong()));
        }
        List<Integer> unseeded = new ArrayList<>(0);
        for (int at = 4 + 5 * scopes; at < response.size(); at++) {
            unseeded.add(response.get(at).toInteger() - 1);
        }
        Limit limit = refusedBy == 0 ? null : Limit.values()[refusedBy - 1];
        return new Reserved(status == 1, refusedScope, limit, status == 2 ? unseeded : List.of(), usage);
    }

    /** A Lua script of this package and its SHA-1. */
    private record Script(String text, String sha) {

        static Script load(String name) {
            try (InputStream in = RedisCounters.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + name);
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Script(text, sha1(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Request call(Command command, String body, List<String> keys, List<String> args) {
            Request request = Request.cmd(command).arg(body).arg(keys.size());
            keys.forEach(request::arg);
            args.forEach(request::arg);
            return request;
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime provides SHA-1", e);
            }
        }
    }
}

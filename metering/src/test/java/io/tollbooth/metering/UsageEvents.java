package io.tollbooth.metering;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/** Builds usage events as the gateway writes them. */
public final class UsageEvents {

    /** A time in May 2026, when gpt-4o input costs 2.50 per 1M in {@link TestTenant}'s plan. */
    public static final Instant MAY = Instant.parse("2026-05-10T12:00:00Z");

    /** Case 1 of CASES.md: 239 uncached + 15,872 cached prompt tokens and 2 completion tokens. */
    public static final TokenCounts CASE_1 = new TokenCounts(239, 15_872, 0, 2, 0);

    private UsageEvents() {
    }

    public static UsageEvent event(UUID clientId, String model, TokenCounts tokens, Instant time) {
        return event(clientId, model, tokens, time, UsageData.Status.OK);
    }

    public static UsageEvent event(UUID clientId, String model, TokenCounts tokens, Instant time,
            UsageData.Status status) {
        return withRequestId(UUID.randomUUID().toString(), clientId, model, tokens, time, status);
    }

    public static UsageEvent withRequestId(String requestId, UUID clientId, String model, TokenCounts tokens,
            Instant time, UsageData.Status status) {
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, requestId, clientId.toString(),
                UUID.randomUUID().toString(), "tb_live_ab12", "chat.completions", model, model, "simulator", true,
                status, UsageData.UsageSource.REPORTED, tokens, 840, 95L);
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest(requestId), time, data);
    }

    /** An event with every optional field left out, as the gateway may send it when nothing reached the caller. */
    public static UsageEvent withoutOptionalFields(UUID clientId, TokenCounts tokens) {
        String requestId = UUID.randomUUID().toString();
        UsageData data = new UsageData(UsageData.CURRENT_VERSION, requestId, clientId.toString(), null, null, null,
                "gpt-4o", null, null, false, UsageData.Status.CLIENT_ABORTED, UsageData.UsageSource.ESTIMATED, tokens,
                12, null);
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest(requestId), MAY, data);
    }

    /**
     * A well-formed event whose id is far larger than a btree index entry can hold, so PostgreSQL refuses it on
     * every attempt.
     */
    public static UsageEvent withOversizedId(UUID clientId) {
        byte[] noise = new byte[15_000];
        new SecureRandom().nextBytes(noise);
        return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, HexFormat.of().formatHex(noise), MAY,
                event(clientId, "gpt-4o", TokenCounts.of(100, 10), MAY).data());
    }
}

package io.tollbooth.metering.ledger;

import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds decoded events that PostgreSQL would refuse, before they reach a batch: one such event would otherwise
 * fail its whole batch.
 */
final class UsageEventChecks {

    /** The range of {@code timestamptz} values that any sane event time falls in. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private UsageEventChecks() {
    }

    /** Why the event cannot be stored, or empty when it can. */
    static Optional<String> problem(ReceivedEvent received) {
        UsageEvent event = received.event();
        UsageData data = event.data();
        Optional<UUID> client = uuid(event.subject());
        if (client.isEmpty()) {
            return Optional.of("subject is not a client id");
        }
        if (!client.equals(uuid(data.clientId()))) {
            return Optional.of("subject and data.clientId name different clients");
        }
        if (data.apiKeyId() != null && uuid(data.apiKeyId()).isEmpty()) {
            return Optional.of("data.apiKeyId is not an id");
        }
        if (event.time().isBefore(EARLIEST) || event.time().isAfter(LATEST)) {
            return Optional.of("time is out of range");
        }
        if (hasNul(event.source(), event.id(), data.requestId(), data.endpoint(), data.requestedModel(),
                data.servedModel(), data.backend()) || hasEscapedNul(received.json())) {
            return Optional.of("text contains a NUL character, which PostgreSQL cannot store");
        }
        return Optional.empty();
    }

    static Optional<UUID> uuid(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean hasNul(String... values) {
        for (String value : values) {
            if (value != null && value.indexOf('\0') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the JSON holds the escape {@code \u0000}, which {@code jsonb} rejects. */
    private static boolean hasEscapedNul(String json) {
        int at = json.indexOf("\\u0000");
        while (at >= 0) {
            int backslashes = 0;
            for (int i = at; i >= 0 && json.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                return true;
            }
            at = json.indexOf("\\u0000", at + 1);
        }
        return false;
    }
}

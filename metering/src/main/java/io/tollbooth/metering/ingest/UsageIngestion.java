package io.tollbooth.metering.ingest;

import io.tollbooth.metering.ledger.EventOutcome;
import io.tollbooth.metering.ledger.ReceivedEvent;
import io.tollbooth.metering.ledger.UsageLedger;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Usage that does not pass through the gateway, posted by a client's own systems or by LiteLLM, stored straight
 * into the ledger in one transaction per batch. Idempotent: an event sent again is acknowledged as a duplicate,
 * so a producer whose response was lost resends the same batch and nothing is billed twice.
 */
@ApplicationScoped
public class UsageIngestion {

    /** The most events one batch may hold. */
    public static final int MAX_BATCH = 1_000;

    private final UsageLedger ledger;

    public UsageIngestion(UsageLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Stores the client's events.
     *
     * @param clientId the client the caller is authenticated as; every event must be its own
     * @return one result per event, in the order given
     * @throws IngestionException when the batch is empty, larger than {@value #MAX_BATCH}, or holds an event of
     *     another client; nothing is stored then
     * @throws SQLException when the database failed; the batch is safe to send again
     */
    public List<IngestedEvent> ingest(UUID clientId, List<UsageEvent> events) throws SQLException {
        if (events.isEmpty() || events.size() > MAX_BATCH) {
            throw new IngestionException("a batch holds 1 to " + MAX_BATCH + " events, not " + events.size());
        }
        List<ReceivedEvent> received = new ArrayList<>(events.size());
        for (UsageEvent event : events) {
            if (!clientId.toString().equals(event.subject()) || !clientId.toString().equals(event.data().clientId())) {
                throw new IngestionException("event " + event.id() + " is not usage of the calling client");
            }
            received.add(new ReceivedEvent(event, UsageEventCodec.toJson(event)));
        }
        List<EventOutcome> outcomes = ledger.record(received);
        List<IngestedEvent> results = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EventOutcome outcome = outcomes.get(i);
            results.add(new IngestedEvent(events.get(i).id(), outcome.kind() == EventOutcome.Kind.DUPLICATE,
                    outcome.kind(), outcome.detail()));
        }
        return results;
    }

    /** Stores the usage of a LiteLLM logging-callback body (JSON array, object or NDJSON) as the client's. */
    public List<IngestedEvent> ingestLiteLlm(UUID clientId, byte[] body) throws SQLException {
        return ingest(clientId, LiteLlmPayloads.read(body).stream()
                .map(payload -> LiteLlmPayloads.toUsageEvent(payload, clientId))
                .toList());
    }
}

package io.tollbooth.portal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tollbooth.metering.ingest.IngestedEvent;
import io.tollbooth.metering.ingest.IngestionException;
import io.tollbooth.metering.ingest.UsageIngestion;
import io.tollbooth.portal.access.Roles;
import io.tollbooth.portal.access.ScopedRecords;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Admin API for usage that did not pass through the gateway: batches of usage events (the gateway's own CloudEvents
 * contract) and the body of LiteLLM's generic logging callback, stored and rated as the client's, once each. An
 * event sent again is acknowledged with {@code duplicate: true} and not billed again: send a batch again freely
 * when an answer was lost.
 *
 * <p>The calls write straight to the ledger, outside any transaction of the control plane's own.
 */
@Path(AdminApi.V1 + "/clients/{clientId}/usage-events")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class UsageIngestionResource {

    private static final Logger LOG = Logger.getLogger(UsageIngestionResource.class);

    @Inject
    UsageIngestion ingestion;

    @Inject
    ScopedRecords records;

    @Inject
    ObjectMapper json;

    /**
     * Stores a JSON array of 1 to 1,000 usage events of the client: 200 with one result per event in the order
     * sent; 400 when the body is not such an array or an event is another client's, and nothing is stored then.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public IngestionView ingest(@RestPath UUID clientId, byte[] body) throws SQLException {
        requireClient(clientId);
        List<UsageEvent> events = events(body);
        try {
            return IngestionView.of(clientId, "events", ingestion.ingest(clientId, events));
        } catch (IngestionException e) {
            throw AdminException.invalid(e.getMessage());
        }
    }

    /**
     * Stores the usage in a body of LiteLLM's generic logging callback (a JSON array, one object, or NDJSON of its
     * standard logging payloads) as the client's; LiteLLM's call id is the event id. Answers as {@link #ingest}.
     */
    @POST
    @Path("litellm")
    @Consumes(MediaType.WILDCARD)
    public IngestionView ingestLiteLlm(@RestPath UUID clientId, byte[] body) throws SQLException {
        requireClient(clientId);
        try {
            return IngestionView.of(clientId, "litellm", ingestion.ingestLiteLlm(clientId, body));
        } catch (IngestionException e) {
            throw AdminException.invalid(e.getMessage());
        }
    }

    private void requireClient(UUID clientId) {
        QuarkusTransaction.requiringNew().run(() -> ClientResource.visible(records, clientId));
    }

    private List<UsageEvent> events(byte[] body) {
        JsonNode array;
        try {
            array = json.readTree(body);
        } catch (IOException e) {
            throw AdminException.invalid("the request body is not valid JSON");
        }
        if (array == null || !array.isArray()) {
            throw AdminException.invalid("the body must be a JSON array of 1 to " + UsageIngestion.MAX_BATCH
                    + " usage events");
        }
        List<UsageEvent> events = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                events.add(UsageEventCodec.decode(json.writeValueAsBytes(array.get(i))));
            } catch (IOException | RuntimeException e) {
                throw AdminException.invalid("[" + i + "] is not a usage event: " + e.getMessage());
            }
        }
        return events;
    }

    /**
     * The result of a batch.
     *
     * @param stored events stored now (rated, unpriced or rejected by the gateway)
     * @param duplicates events stored before, acknowledged and not stored again
     * @param refused events not stored, each with its {@code detail}
     * @param events one result per event, in the order sent
     */
    public record IngestionView(UUID clientId, int stored, int duplicates, int refused, List<IngestedEvent> events) {

        static IngestionView of(UUID clientId, String source, List<IngestedEvent> events) {
            int duplicates = (int) events.stream().filter(IngestedEvent::duplicate).count();
            int refused = (int) events.stream().filter(event -> switch (event.outcome()) {
                case UNKNOWN_CLIENT, INVALID -> true;
                default -> false;
            }).count();
            LOG.infof("usage_ingested client=%s source=%s events=%d duplicates=%d refused=%d", clientId, source,
                    events.size(), duplicates, refused);
            return new IngestionView(clientId, events.size() - duplicates - refused, duplicates, refused, events);
        }
    }
}

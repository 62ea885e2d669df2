package io.tollbooth.usage.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * One metered request, as the gateway publishes it to Kafka topic {@value #TOPIC} and metering consumes it.
 *
 * <p>The envelope follows CloudEvents 1.0 in structured JSON mode, so other metering systems can ingest it
 * unchanged. The Kafka record key is the {@link #subject() client id}, which keeps one client's events in order
 * on one partition.
 *
 * <p>Deduplication is scoped to the tenant: metering stores an event once per ({@code subject}, {@code source},
 * {@code id}). The gateway derives {@code id} from its request id, so publishing the same request twice (a retry
 * after a timeout, a replay from the spool) yields the same key and is billed once.
 *
 * @param specVersion CloudEvents spec version, always {@value #SPEC_VERSION}
 * @param type event type; the trailing {@code v1} is the major version of {@link UsageData}
 * @param source the component that measured the usage, for example {@code tollbooth-gateway}
 * @param id event id, unique per source and client; derived from the gateway's request id
 * @param time when the request started at the gateway; rating uses the prices valid at this instant
 * @param subject id of the client (tenant) the usage is billed to
 * @param dataContentType always {@code application/json}
 * @param data the measured usage
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageEvent(
        @JsonProperty("specversion") String specVersion,
        @JsonProperty("type") String type,
        @JsonProperty("source") String source,
        @JsonProperty("id") String id,
        @JsonProperty("time") Instant time,
        @JsonProperty("subject") String subject,
        @JsonProperty("datacontenttype") String dataContentType,
        @JsonProperty("data") UsageData data) {

    /** Kafka topic that carries usage events. */
    public static final String TOPIC = "tollbooth.usage";

    /** CloudEvents version of the envelope. */
    public static final String SPEC_VERSION = "1.0";

    /** Event type of version 1 of {@link UsageData}. */
    public static final String TYPE_V1 = "io.tollbooth.usage.v1";

    /** Source name the gateway writes. */
    public static final String GATEWAY_SOURCE = "tollbooth-gateway";

    public UsageEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** An event of the current version, with the envelope fields filled in from {@code data}. */
    public static UsageEvent of(String source, String id, Instant time, UsageData data) {
        return new UsageEvent(SPEC_VERSION, TYPE_V1, source, id, time, data.clientId(), "application/json", data);
    }

    /**
     * The event id for a gateway request: the same request id always gives the same event id, so a republished
     * event is recognised as a duplicate.
     */
    public static String idForRequest(String requestId) {
        return "usage-" + requestId;
    }
}

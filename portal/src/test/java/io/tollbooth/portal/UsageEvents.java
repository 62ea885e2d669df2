package io.tollbooth.portal;

import io.tollbooth.usage.event.TokenCounts;
import io.tollbooth.usage.event.UsageData;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes usage events as the gateway does, on the real topic of the test's Kafka broker. */
public final class UsageEvents {

    private UsageEvents() {
    }

    /**
     * One finished, reported request of a client's key.
     *
     * @param requestId unique per test, it names the event
     * @param timeToFirstTokenMs null for a request that was not streamed
     */
    public record Request(String clientId, String apiKeyId, String keyPrefix, String requestId, String model,
            Instant at, long inputTokens, long outputTokens, long latencyMs, Long timeToFirstTokenMs) {

        /** A request answered in 500 ms, its first token after 80 ms. */
        public Request(String clientId, String apiKeyId, String keyPrefix, String requestId, String model,
                Instant at, long inputTokens, long outputTokens) {
            this(clientId, apiKeyId, keyPrefix, requestId, model, at, inputTokens, outputTokens, 500, 80L);
        }

        UsageEvent event() {
            UsageData data = new UsageData(UsageData.CURRENT_VERSION, requestId, clientId, apiKeyId, keyPrefix,
                    "chat.completions", model, model, "simulator", false, UsageData.Status.OK,
                    UsageData.UsageSource.REPORTED, TokenCounts.of(inputTokens, outputTokens), latencyMs,
                    timeToFirstTokenMs);
            return UsageEvent.of(UsageEvent.GATEWAY_SOURCE, UsageEvent.idForRequest(requestId), at, data);
        }
    }

    /** Sends the events, each keyed by its client, and returns once the broker has acknowledged them all. */
    public static void publish(String bootstrapServers, Request... requests) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (Request request : requests) {
                producer.send(new ProducerRecord<>(UsageEvent.TOPIC, request.clientId(),
                        UsageEventCodec.encode(request.event()))).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused a usage event", e.getCause());
        }
    }
}

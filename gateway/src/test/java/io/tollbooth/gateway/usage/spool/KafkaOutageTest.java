package io.tollbooth.gateway.usage.spool;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tollbooth.gateway.testing.Seed;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Through the gateway: the Kafka broker stops in the middle of traffic and a new one starts on the same port and
 * data. Callers never notice, and every request's usage event arrives exactly once, in the order of the requests.
 */
@QuarkusTest
@TestProfile(OwnKafkaProfile.class)
class KafkaOutageTest {

    private static final String BODY = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"simulation\":{\"completion_tokens\":1}}";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    UsageSpool spool;

    @Test
    void deliversEveryEventOnceAndInOrderAcrossABrokerOutage() {
        List<String> requests = new ArrayList<>();
        send(requests, 3);
        await().atMost(WAIT).until(() -> spool.depth() == 0);

        OwnKafkaProfile.stopBroker();
        send(requests, 5);
        await().atMost(WAIT).until(() -> spool.failedSends() > 0);
        assertThat(spool.depth()).isEqualTo(5);

        OwnKafkaProfile.startBroker();
        await().atMost(WAIT).until(() -> spool.depth() == 0);

        assertThat(requestIdsOnTheTopic(requests.size())).containsExactlyElementsOf(requests);
    }

    /** Sends {@code count} requests one after another; each is answered 200 whatever Kafka does. */
    private static void send(List<String> requestIds, int count) {
        for (int i = 0; i < count; i++) {
            String requestId = given().header("Authorization", "Bearer " + Seed.KEY.secret())
                    .contentType("application/json").body(BODY).post("/v1/chat/completions")
                    .then().statusCode(200).extract().header("x-request-id");
            requestIds.add(requestId);
        }
    }

    /** The request ids of every usage event on the topic, in partition order (one client: one partition). */
    private static List<String> requestIdsOnTheTopic(int expected) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, OwnKafkaProfile.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(UsageEvent.TOPIC).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> requestIds = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                poll(consumer, requestIds);
                return requestIds.size() >= expected;
            });
            // A duplicate would already be on the topic: read once more to its end.
            poll(consumer, requestIds);
            return requestIds;
        }
    }

    private static void poll(KafkaConsumer<String, byte[]> consumer, List<String> requestIds) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            requestIds.add(UsageEventCodec.decode(record.value()).data().requestId());
        }
    }
}

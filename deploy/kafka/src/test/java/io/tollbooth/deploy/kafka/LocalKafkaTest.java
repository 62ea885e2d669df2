package io.tollbooth.deploy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {

    @TempDir
    Path dataDir;

    @Test
    void startsABrokerWithTheTopicsAndStopsIt() throws Exception {
        LocalKafka kafka = LocalKafka.start(dataDir, "demo.topic:2");
        try (kafka) {
            Properties admin = new Properties();
            admin.put("bootstrap.servers", kafka.bootstrapServers());
            try (Admin client = Admin.create(admin)) {
                var description = client.describeTopics(List.of("demo.topic")).allTopicNames().get();
                assertThat(description.get("demo.topic").partitions()).hasSize(2);
            }

            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                    kafka.bootstrapServers(), "acks", "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("demo.topic", "client-1", "hello")).get();
            }
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                    kafka.bootstrapServers(), "group.id", "test", "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("demo.topic"));
                List<ConsumerRecord<String, String>> received = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                }
                assertThat(received).extracting(ConsumerRecord::value).containsExactly("hello");
            }
        }
        assertThat(kafka.isRunning()).isFalse();
    }
}

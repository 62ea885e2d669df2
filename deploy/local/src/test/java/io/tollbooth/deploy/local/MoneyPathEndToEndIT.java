package io.tollbooth.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole money path on the real parts, each in its own process: the OpenAI Java SDK calls the gateway, the
 * gateway calls the simulator and publishes usage to Kafka, the control plane meters it into PostgreSQL, closes
 * the month and renders the invoice PDF, whose text must show the exact total.
 */
class MoneyPathEndToEndIT {

    private static final String TOPIC = "tollbooth.usage";
    private static final BigDecimal INPUT_PER_MILLION = new BigDecimal("2.50");
    private static final BigDecimal OUTPUT_PER_MILLION = new BigDecimal("10.00");
    private static final String QUESTION = "How many tokens does this question take?";

    private static LocalStack stack;
    private static AdminApi admin;
    private static String operatorId;
    private static String clientId;
    private static String apiKey;

    @BeforeAll
    static void startStack() {
        Path root = Path.of(System.getProperty("tollbooth.root", "../.."));
        stack = LocalStack.start(new LocalStack.Settings(root, Path.of("target/e2e").toAbsolutePath(),
                "tollbooth_e2e", true, 0, 0, 0, 0, 0));
        admin = new AdminApi(stack.controlPlaneUrl(), stack.operatorTokens());

        operatorId = admin.post("/operators", AdminApi.object().put("slug", "e2e").put("name", "E2E Inference")
                .put("currency", "USD")).get("id").asText();
        admin.post("/models", AdminApi.object().put("operatorId", operatorId).put("name", "gpt-4o"));
        var plan = AdminApi.object().put("operatorId", operatorId).put("name", "PLAN-T").put("currency", "USD");
        var prices = plan.putArray("prices");
        prices.addObject().put("model", "gpt-4o").put("tokenKind", "input").put("pricePerMillion", "2.50")
                .put("effectiveFrom", "2020-01-01T00:00:00Z");
        prices.addObject().put("model", "gpt-4o").put("tokenKind", "output").put("pricePerMillion", "10.00")
                .put("effectiveFrom", "2020-01-01T00:00:00Z");
        String planId = admin.post("/price-plans", plan).get("id").asText();
        clientId = admin.post("/clients", AdminApi.object().put("operatorId", operatorId).put("slug", "acme")
                .put("name", "Acme Corp").put("currency", "USD").put("timeZone", "UTC").put("pricePlanId", planId))
                .get("id").asText();
        apiKey = admin.post("/clients/" + clientId + "/api-keys", AdminApi.object().put("name", "ci"))
                .get("key").asText();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void billsWhatTheClientWasServedToTheCentOnceEvenWhenAnEventIsDeliveredTwice() throws Exception {
        List<CompletionUsage> served = new ArrayList<>();
        OpenAIClient openAi = OpenAIOkHttpClient.builder().baseUrl(stack.gatewayUrl() + "/v1").apiKey(apiKey)
                .maxRetries(0).build();
        try {
            served.add(plain(openAi, 120_000));
            served.add(streamed(openAi, 4_000, true).orElseThrow());
            // Without include_usage the client sees no usage; the prompt is the same as above, so are its tokens.
            assertThat(streamed(openAi, 2_000, false)).isEmpty();
        } finally {
            openAi.close();
        }
        long promptTokens = served.get(1).promptTokens();
        long inputTokens = served.get(0).promptTokens() + promptTokens + promptTokens;
        long outputTokens = 120_000 + 4_000 + 2_000;
        assertThat(served.get(0).completionTokens()).isEqualTo(120_000);
        assertThat(served.get(1).completionTokens()).isEqualTo(4_000);
        BigDecimal rated = INPUT_PER_MILLION.multiply(BigDecimal.valueOf(inputTokens))
                .add(OUTPUT_PER_MILLION.multiply(BigDecimal.valueOf(outputTokens)))
                .movePointLeft(6);
        YearMonth period = YearMonth.now(ZoneOffset.UTC);

        JsonNode usage = awaitMetered(period, 3);
        assertThat(new BigDecimal(usage.get("ratedAmount").asText())).isEqualByComparingTo(rated);

        redeliverFirstUsageEvent();
        awaitMeteringCaughtUp();
        JsonNode afterDuplicate = usageOf(period);
        assertThat(afterDuplicate.get("requests").asLong()).isEqualTo(3);
        assertThat(new BigDecimal(afterDuplicate.get("ratedAmount").asText())).isEqualByComparingTo(rated);

        JsonNode invoice = runInvoices(period);
        BigDecimal total = rated.setScale(2, RoundingMode.HALF_UP);
        assertThat(new BigDecimal(invoice.get("total").asText())).isEqualTo(total);
        String pdfText = pdfText(invoice.get("id").asText());
        assertThat(pdfText).contains(invoice.get("number").asText(), "Acme Corp", total.toPlainString());

        JsonNode again = runInvoices(period);
        assertThat(again.get("id").asText()).isEqualTo(invoice.get("id").asText());
        assertThat(again.get("number").asText()).isEqualTo(invoice.get("number").asText());
    }

    private static CompletionUsage plain(OpenAIClient openAi, int completionTokens) {
        ChatCompletion completion = openAi.chat().completions().create(params(completionTokens).build());
        return completion.usage().orElseThrow();
    }

    private static Optional<CompletionUsage> streamed(OpenAIClient openAi, int completionTokens,
            boolean includeUsage) {
        ChatCompletionCreateParams.Builder params = params(completionTokens);
        if (includeUsage) {
            params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        }
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions()
                .createStreaming(params.build())) {
            return stream.stream().flatMap(chunk -> chunk.usage().stream()).reduce((first, last) -> last);
        }
    }

    private static ChatCompletionCreateParams.Builder params(int completionTokens) {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4o")
                .addUserMessage(QUESTION)
                .maxCompletionTokens(200_000L)
                .putAdditionalBodyProperty("simulation", JsonValue.from(Map.of("completion_tokens", completionTokens)));
    }

    private static JsonNode awaitMetered(YearMonth period, long requests) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> usageOf(period).get("requests").asLong() == requests);
        return usageOf(period);
    }

    private static JsonNode usageOf(YearMonth period) {
        return admin.get("/clients/" + clientId + "/usage?period=" + period);
    }

    /** Publishes the first usage event on the topic a second time, byte for byte, as a redelivery would. */
    private static void redeliverFirstUsageEvent() throws Exception {
        ConsumerRecord<String, byte[]> first = null;
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                "bootstrap.servers", stack.kafkaBootstrapServers(),
                "group.id", "e2e-reader-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (first == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    first = first == null ? record : first;
                }
            }
        }
        assertThat(first).as("a usage event on " + TOPIC).isNotNull();
        assertThat(first.key()).isEqualTo(clientId);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                "bootstrap.servers", stack.kafkaBootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, first.key(), first.value())).get();
        }
    }

    /** Waits until the metering consumer group has committed every offset of the usage topic. */
    private static void awaitMeteringCaughtUp() {
        Properties config = new Properties();
        config.put("bootstrap.servers", stack.kafkaBootstrapServers());
        try (Admin kafka = Admin.create(config)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> lag(kafka) == 0);
        }
    }

    private static long lag(Admin kafka) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets("tollbooth-metering")
                .partitionsToOffsetAndMetadata().get();
        var partitions = kafka.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions();
        long lag = 0;
        for (var partition : partitions) {
            TopicPartition tp = new TopicPartition(TOPIC, partition.partition());
            long end = kafka.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
            OffsetAndMetadata done = committed.get(tp);
            lag += end - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    private static JsonNode runInvoices(YearMonth period) {
        JsonNode run = admin.post("/invoice-runs", AdminApi.object().put("operatorId", operatorId)
                .put("period", period.toString()).put("closeEarly", true));
        assertThat(run.get("invoices")).hasSize(1);
        return run.get("invoices").get(0);
    }

    private static String pdfText(String invoiceId) throws IOException {
        Path pdf = admin.download("/invoices/" + invoiceId + "/pdf", Files.createTempFile("invoice", ".pdf"));
        try (var document = Loader.loadPDF(pdf.toFile())) {
            return new PDFTextStripper().getText(document);
        }
    }
}

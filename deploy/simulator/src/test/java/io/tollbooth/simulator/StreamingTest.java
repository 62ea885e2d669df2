package io.tollbooth.simulator;

import static io.tollbooth.simulator.ChatCompletionTest.usage;
import static io.tollbooth.simulator.SimulatorClient.chatRequest;
import static io.tollbooth.simulator.SimulatorClient.json;
import static io.tollbooth.simulator.SimulatorClient.streamed;
import static io.tollbooth.simulator.SimulatorClient.withPlan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streamed chat completions: the exact sequence of server-sent events in OpenAI's wire format. */
class StreamingTest {

    private static final String ROLE =
            "{'index':0,'delta':{'role':'assistant','content':''},'logprobs':null,'finish_reason':null}";
    private static final String DONE = "[DONE]";

    private static SimulatorServer server;
    private static SimulatorClient client;

    @BeforeAll
    static void startSimulator() {
        server = SimulatorServer.start(0);
        client = new SimulatorClient(server);
    }

    @AfterAll
    static void stopSimulator() {
        server.close();
    }

    @Test
    void streamsRoleThenOneTokenPerChunkThenFinishWithNoUsageWhenNotAsked() {
        ObjectNode request = withPlan(chatRequest("Hello, world!").put("stream", true),
                SimulationPlan.DEFAULT.withCompletionTokens(3));

        List<String> events = client.streamData(request);

        assertThat(events).last().isEqualTo(DONE);
        assertThat(chunks(events)).containsExactly(
                chunk(ROLE, null),
                chunk(content("Tollbooth"), null),
                chunk(content(" simulates"), null),
                chunk(content(" a"), null),
                chunk(finish("stop"), null));
        assertThat(String.join("", events)).doesNotContain("usage");
    }

    @Test
    void endsWithAUsageChunkWithoutChoicesWhenIncludeUsageIsAsked() {
        ObjectNode request = withPlan(streamed(chatRequest("Hello, world!"), true),
                SimulationPlan.DEFAULT.withCompletionTokens(2).withCachedTokens(3));

        List<String> events = client.streamData(request);

        assertThat(events).last().isEqualTo(DONE);
        assertThat(chunks(events)).containsExactly(
                chunk(ROLE, "null"),
                chunk(content("Tollbooth"), "null"),
                chunk(content(" simulates"), "null"),
                chunk(finish("stop"), "null"),
                chunkWithoutChoices(usage(7, 2, 3, 0)));
        assertThat(events.get(4)).matches("\\{\"id\":\"chatcmpl-sim-\\d+\",\"object\":\"chat.completion.chunk\","
                + "\"created\":\\d+,\"model\":\"sim-small\",\"system_fingerprint\":\"fp_tollbooth_sim\","
                + "\"choices\":\\[],\"usage\":\\{\"prompt_tokens\":7,.*}}");
    }

    @Test
    void putsUsageOnTheFinishChunkWhenThePlanSaysSo() {
        ObjectNode request = withPlan(streamed(chatRequest("Hello, world!"), true),
                SimulationPlan.DEFAULT.withCompletionTokens(2).withUsageOnFinishChunk(true));

        List<String> events = client.streamData(request);

        assertThat(chunks(events)).containsExactly(
                chunk(ROLE, "null"),
                chunk(content("Tollbooth"), "null"),
                chunk(content(" simulates"), "null"),
                chunk(finish("stop"), usage(7, 2, 0, 0).toString()));
    }

    @Test
    void sendsNoUsageAtAllWhenThePlanOmitsItEvenIfAsked() {
        ObjectNode request = withPlan(streamed(chatRequest("Hello, world!"), true),
                SimulationPlan.DEFAULT.withCompletionTokens(1).withOmitUsage(true));

        List<String> events = client.streamData(request);

        assertThat(chunks(events)).containsExactly(
                chunk(ROLE, null),
                chunk(content("Tollbooth"), null),
                chunk(finish("stop"), null));
        assertThat(String.join("", events)).doesNotContain("usage");
    }

    @Test
    void streamsOnlyVisibleTokensAndCountsReasoningInTheUsage() {
        ObjectNode request = withPlan(streamed(chatRequest("Hi"), true).put("max_tokens", 3),
                SimulationPlan.DEFAULT.withCompletionTokens(5).withReasoningTokens(2));

        List<String> events = client.streamData(request);

        assertThat(chunks(events)).containsExactly(
                chunk(ROLE, "null"),
                chunk(content("Tollbooth"), "null"),
                chunk(finish("length"), "null"),
                chunkWithoutChoices(usage(4, 3, 0, 2)));
    }

    @Test
    void streamsNoContentChunkWhenEveryTokenIsReasoning() {
        ObjectNode request = withPlan(streamed(chatRequest("Hi"), false),
                SimulationPlan.DEFAULT.withCompletionTokens(4).withReasoningTokens(4));

        List<String> events = client.streamData(request);

        assertThat(chunks(events)).containsExactly(chunk(ROLE, null), chunk(finish("stop"), null));
    }

    @Test
    void givesEveryChunkOfAStreamTheSameIdCreatedAndServedModel() {
        ObjectNode request = withPlan(streamed(chatRequest("Hi"), true),
                SimulationPlan.DEFAULT.withCompletionTokens(3).withServedModel("sim-large"));

        List<JsonNode> chunks = client.streamData(request).stream()
                .filter(data -> !data.equals(DONE)).map(SimulatorClient::read).toList();

        assertThat(chunks).hasSize(6);
        assertThat(chunks).extracting(chunk -> chunk.get("id")).containsOnly(chunks.get(0).get("id"));
        assertThat(chunks).extracting(chunk -> chunk.get("created")).containsOnly(chunks.get(0).get("created"));
        assertThat(chunks).extracting(chunk -> chunk.get("model").asText()).containsOnly("sim-large");
    }

    @Test
    void streamsTheSameContentAsTheNonStreamingAnswer() {
        String whole = client.chatOk(chatRequest("Hi")).at("/choices/0/message/content").asText();

        StringBuilder streamedContent = new StringBuilder();
        for (JsonNode chunk : chunks(client.streamData(streamed(chatRequest("Hi"), false)))) {
            streamedContent.append(chunk.at("/choices/0/delta/content").asText());
        }

        assertThat(streamedContent).hasToString(whole);
    }

    @Test
    void streamsALongAnswerCompletelyAndInOrder() {
        ObjectNode request = withPlan(streamed(chatRequest("Hi"), true),
                SimulationPlan.DEFAULT.withCompletionTokens(5000));

        List<JsonNode> chunks = chunks(client.streamData(request));

        assertThat(chunks).hasSize(1 + 5000 + 1 + 1);
        // The 5000th token is word 4999 % 16 = 7 of the vocabulary.
        assertThat(chunks.get(5000).at("/choices/0/delta/content").asText()).isEqualTo(" word");
        assertThat(chunks.get(5001).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.get(5002).get("usage")).isEqualTo(usage(4, 5000, 0, 0));
    }

    /** The chunks before {@code [DONE]}, without the id and creation time that differ per request. */
    private static List<JsonNode> chunks(List<String> events) {
        List<JsonNode> chunks = new ArrayList<>();
        for (String data : events.subList(0, events.size() - 1)) {
            ObjectNode chunk = (ObjectNode) SimulatorClient.read(data);
            assertThat(chunk.remove("id").asText()).startsWith("chatcmpl-sim-");
            assertThat(chunk.remove("created").isIntegralNumber()).isTrue();
            chunks.add(chunk);
        }
        return chunks;
    }

    /** A chunk with one choice; {@code usage} is JSON, "null", or null for no usage field at all. */
    private static JsonNode chunk(String choice, String usage) {
        return json("{'object':'chat.completion.chunk','model':'sim-small','system_fingerprint':'fp_tollbooth_sim',"
                + "'choices':[" + choice + "]" + (usage == null ? "" : ",'usage':" + usage) + "}");
    }

    private static JsonNode chunkWithoutChoices(JsonNode usage) {
        return json("{'object':'chat.completion.chunk','model':'sim-small','system_fingerprint':'fp_tollbooth_sim',"
                + "'choices':[],'usage':" + usage + "}");
    }

    private static String content(String token) {
        return "{'index':0,'delta':{'content':'" + token + "'},'logprobs':null,'finish_reason':null}";
    }

    private static String finish(String reason) {
        return "{'index':0,'delta':{},'logprobs':null,'finish_reason':'" + reason + "'}";
    }
}

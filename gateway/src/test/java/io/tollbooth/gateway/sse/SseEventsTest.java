package io.tollbooth.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class SseEventsTest {

    @Test
    void readsTheDataOfOneLineWithOrWithoutTheSpace() {
        assertThat(SseEvents.data(Buffer.buffer("data: [DONE]\n\n")).toString()).isEqualTo("[DONE]");
        assertThat(SseEvents.data(Buffer.buffer("data:{}\r\n\r\n")).toString()).isEqualTo("{}");
    }

    @Test
    void joinsSeveralDataLinesWithLineFeeds() {
        Buffer event = Buffer.buffer("event: chunk\ndata: {\"a\":\ndata: 1}\nid: 7\n\n");

        assertThat(SseEvents.data(event).toString()).isEqualTo("{\"a\":\n1}");
    }

    @Test
    void findsNoDataInACommentOrAnotherField() {
        assertThat(SseEvents.data(Buffer.buffer(": keep-alive\n\n"))).isNull();
        assertThat(SseEvents.data(Buffer.buffer("database: x\n\n"))).isNull();
    }

    @Test
    void spotsAUsageObjectWhateverTheSpacing() {
        assertThat(SseEvents.mayCarryUsage(Buffer.buffer("data: {\"usage\":{\"prompt_tokens\":1}}\n\n"))).isTrue();
        assertThat(SseEvents.mayCarryUsage(Buffer.buffer("data: {\"usage\" : \n {\"prompt_tokens\":1}}\n\n")))
                .isTrue();
    }

    @Test
    void passesOverANullUsageAndTheWordUsageInsideTheAnswer() {
        assertThat(SseEvents.mayCarryUsage(Buffer.buffer("data: {\"choices\":[],\"usage\":null}\n\n"))).isFalse();
        assertThat(SseEvents.mayCarryUsage(
                Buffer.buffer("data: {\"delta\":{\"content\":\"say \\\"usage\\\": {1}\"}}\n\n"))).isFalse();
    }
}

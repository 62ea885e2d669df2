package io.tollbooth.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventSplitterTest {

    private static final String ROLE = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n";
    private static final String CONTENT = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
    private static final String DONE = "data: [DONE]\n\n";

    @Test
    void cutsAStreamIntoWholeEventsWhereverItsChunksEnd() {
        String stream = ROLE + ": keep-alive\n\n" + CONTENT + "event: x\ndata: a\ndata: b\n\n" + DONE;
        for (int cut = 0; cut <= stream.length(); cut++) {
            List<String> events = split(stream.substring(0, cut), stream.substring(cut));

            assertThat(events).as("cut at %d", cut)
                    .containsExactly(ROLE, ": keep-alive\n\n", CONTENT, "event: x\ndata: a\ndata: b\n\n", DONE);
        }
    }

    @Test
    void keepsCrLfLineEndsWithTheirEventEvenWhenTheLastLfArrivesInTheNextChunk() {
        String first = "data: 1\r\n\r\n";
        String second = "data: 2\r\n\r\n";
        String stream = first + second;
        for (int cut = 0; cut <= stream.length(); cut++) {
            assertThat(split(stream.substring(0, cut), stream.substring(cut))).as("cut at %d", cut)
                    .containsExactly(first, second);
        }
    }

    @Test
    void acceptsBareCarriageReturnsAsLineEnds() {
        assertThat(split("data: 1\r\rdata: 2\r", "\r")).containsExactly("data: 1\r\r", "data: 2\r\r");
    }

    @Test
    void handsBackAnUnterminatedLastEventWhenTheStreamEnds() {
        SseEventSplitter splitter = new SseEventSplitter();
        List<String> events = new ArrayList<>();

        splitter.feed(Buffer.buffer(DONE + "data: {\"cut\":"), event -> events.add(event.toString()));

        assertThat(events).containsExactly(DONE);
        assertThat(splitter.finish().toString()).isEqualTo("data: {\"cut\":");
        assertThat(splitter.finish()).isNull();
    }

    private static List<String> split(String... chunks) {
        SseEventSplitter splitter = new SseEventSplitter();
        List<String> events = new ArrayList<>();
        for (String chunk : chunks) {
            splitter.feed(Buffer.buffer(chunk), event -> events.add(event.toString()));
        }
        Buffer rest = splitter.finish();
        if (rest != null) {
            events.add(rest.toString());
        }
        return events;
    }
}

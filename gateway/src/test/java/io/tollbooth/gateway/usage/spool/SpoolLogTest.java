package io.tollbooth.gateway.usage.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's files survive a crash mid-write and forget only what Kafka acknowledged. */
class SpoolLogTest {

    private static final long SEGMENT_BYTES = 1 << 20;

    @TempDir
    Path directory;

    @Test
    void readsBackEveryWholeRecordAndDropsATornTail() throws IOException {
        try (SpoolLog log = SpoolLog.open(directory, SEGMENT_BYTES)) {
            log.append("client-a", bytes("event-1"));
            log.append("client-a", bytes("event-2"));
        }
        // A crash in the middle of the next append leaves a length and half a record.
        Files.write(onlySegment(), new byte[] {0, 0, 0, 40, 0, 0, 0}, StandardOpenOption.APPEND);

        try (SpoolLog log = SpoolLog.open(directory, SEGMENT_BYTES)) {
            assertThat(values(log.recovered())).containsExactly("event-1", "event-2");
            assertThat(log.append("client-a", bytes("event-3")).seq()).isEqualTo(3);
        }
        try (SpoolLog log = SpoolLog.open(directory, SEGMENT_BYTES)) {
            assertThat(values(log.recovered())).containsExactly("event-1", "event-2", "event-3");
        }
    }

    @Test
    void forgetsWhatWasAcknowledged() throws IOException {
        try (SpoolLog log = SpoolLog.open(directory, 64)) {
            for (int i = 1; i <= 4; i++) {
                log.append("client-a", bytes("event-" + i));
            }
            log.acknowledge(3);
        }

        try (SpoolLog log = SpoolLog.open(directory, 64)) {
            assertThat(values(log.recovered())).containsExactly("event-4");
            assertThat(log.recovered().get(0).seq()).isEqualTo(4);
        }
    }

    @Test
    void refusesASecondUserOfTheSameDirectory() {
        try (SpoolLog log = SpoolLog.open(directory, SEGMENT_BYTES)) {
            assertThatThrownBy(() -> SpoolLog.open(directory, SEGMENT_BYTES))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another gateway process");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("segment-")).findFirst()
                    .orElseThrow();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> values(List<SpooledRecord> records) {
        return records.stream().map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
    }
}

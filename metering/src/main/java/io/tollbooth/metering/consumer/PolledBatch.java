package io.tollbooth.metering.consumer;

import io.tollbooth.metering.ledger.EventOutcome;
import io.tollbooth.metering.ledger.ReceivedEvent;
import io.tollbooth.usage.event.UsageEvent;
import io.tollbooth.usage.event.UsageEventCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one poll as one batch: the events to store, the records that cannot be read, where the batch
 * starts on each partition (to read it again) and the offsets to commit once it is stored.
 */
final class PolledBatch {

    private static final int MAX_REASON_LENGTH = 300;

    /** The cause of records that are not usage events at all. */
    static final String UNREADABLE = "unreadable";

    private final List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>();
    private final List<ReceivedEvent> events = new ArrayList<>();
    private final List<Skipped> unreadable = new ArrayList<>();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> nextOffsets;
    private final int records;

    private PolledBatch(ConsumerRecords<String, byte[]> records) {
        this.records = records.count();
        this.nextOffsets = Map.copyOf(records.nextOffsets());
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            firstOffsets.put(partition, inPartition.get(0).offset());
            inPartition.forEach(this::decode);
        }
    }

    static PolledBatch of(ConsumerRecords<String, byte[]> records) {
        return new PolledBatch(records);
    }

    private void decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            unreadable.add(new Skipped(record, UNREADABLE, "the record has no value"));
            return;
        }
        try {
            UsageEvent event = UsageEventCodec.decode(record.value());
            events.add(new ReceivedEvent(event, new String(record.value(), StandardCharsets.UTF_8)));
            sources.add(record);
        } catch (RuntimeException e) {
            unreadable.add(new Skipped(record, UNREADABLE, "unreadable: " + shorten(e.getMessage())));
        }
    }

    /** The readable events, in partition and offset order. */
    List<ReceivedEvent> events() {
        return events;
    }

    /** Records polled, readable or not. */
    int records() {
        return records;
    }

    /** The offset of the batch's first record on each partition it has records of. */
    Map<TopicPartition, Long> firstOffsets() {
        return firstOffsets;
    }

    /** The offsets to commit once the batch is stored: the position after it on each partition. */
    Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
        return nextOffsets;
    }

    /**
     * The records left out of the ledger: those that could not be read and those whose events the ledger did not
     * store.
     *
     * @param outcomes the ledger's outcomes, one per {@link #events()} entry
     */
    List<Skipped> skipped(List<EventOutcome> outcomes) {
        List<Skipped> skipped = new ArrayList<>(unreadable);
        for (int i = 0; i < outcomes.size(); i++) {
            if (!outcomes.get(i).inLedger()) {
                EventOutcome outcome = outcomes.get(i);
                skipped.add(new Skipped(sources.get(i), outcome.kind().name().toLowerCase(Locale.ROOT),
                        outcome.kind() + ": " + outcome.detail()));
            }
        }
        return skipped;
    }

    private static String shorten(String message) {
        if (message == null) {
            return "";
        }
        String oneLine = message.replace('\n', ' ');
        return oneLine.length() <= MAX_REASON_LENGTH ? oneLine : oneLine.substring(0, MAX_REASON_LENGTH) + "...";
    }

    /**
     * A record left out of the ledger, and why.
     *
     * @param cause one word for metrics: {@code unreadable}, {@code unknown_client} or {@code invalid}
     * @param reason the whole reason, for people
     */
    record Skipped(ConsumerRecord<String, byte[]> record, String cause, String reason) {
    }
}

package io.tollbooth.metering.consumer;

import io.tollbooth.metering.consumer.PolledBatch.Skipped;
import io.tollbooth.metering.ledger.EventOutcome;
import io.tollbooth.metering.ledger.UsageLedger;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One consumer thread: polls usage records, stores each poll as one batch in one database transaction and only
 * then commits the batch's offsets.
 *
 * <p>A batch is always either stored and committed, or rewound to its first offsets, before the next poll. As
 * partitions are only revoked inside poll, a rebalance never finds a stored batch whose offsets are pending, and a
 * batch that failed is read again by whichever consumer owns its partitions next.
 */
final class UsageConsumerWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(UsageConsumerWorker.class);

    /** Failures retried before the log level rises from WARN to ERROR: by then a person should look. */
    private static final int QUIET_FAILURES = 3;

    private final String name;
    private final String topic;
    private final Duration pollTimeout;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final UsageLedger ledger;
    private final DeadLetters deadLetters;
    private final RetryBackoff backoff;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Consumer<String, byte[]> consumer;
    private final AtomicLong lag = new AtomicLong();

    UsageConsumerWorker(String name, String topic, Duration pollTimeout, Supplier<Consumer<String, byte[]>> consumers,
            UsageLedger ledger, DeadLetters deadLetters, RetryBackoff backoff) {
        this.name = name;
        this.topic = topic;
        this.pollTimeout = pollTimeout;
        this.consumers = consumers;
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.backoff = backoff;
    }

    @Override
    public void run() {
        try {
            while (!isStopRequested()) {
                consumeUntilStoppedOrFailed();
            }
        } finally {
            stopped.countDown();
        }
    }

    /** Asks the worker to finish its current batch, close its consumer and leave the group. */
    void requestStop() {
        stopRequested.countDown();
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Records on this worker's partitions that it had not read as of its last poll. */
    long lag() {
        return lag.get();
    }

    /** Waits until the worker has stopped; false when it is still running after {@code timeout}. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void consumeUntilStoppedOrFailed() {
        // Closing the consumer (leaving this block) commits nothing: offsets are only ever committed after a store.
        try (Consumer<String, byte[]> current = consumers.get()) {
            consumer = current;
            if (isStopRequested()) {
                return;
            }
            current.subscribe(List.of(topic), new RebalanceLog());
            while (!isStopRequested()) {
                ConsumerRecords<String, byte[]> records = current.poll(pollTimeout);
                lag.set(lagOf(current));
                if (!records.isEmpty()) {
                    store(current, PolledBatch.of(records));
                }
            }
        } catch (WakeupException e) {
            LOG.debugf("usage consumer woken to stop: consumer=%s", name);
        } catch (RuntimeException e) {
            // The records since the last commit are read again by the next consumer and found already stored.
            Duration wait = backoff.failed();
            LOG.errorf(e, "usage consumer failed; starting a new one: consumer=%s retry_in=%s", name, wait);
            awaitStopOrTimeout(wait);
        } finally {
            consumer = null;
        }
    }

    /** The lag the consumer knows from its last fetch, without asking the broker; partitions not fetched yet add 0. */
    private static long lagOf(Consumer<String, byte[]> current) {
        long sum = 0;
        for (TopicPartition partition : current.assignment()) {
            sum += current.currentLag(partition).orElse(0);
        }
        return sum;
    }

    private void store(Consumer<String, byte[]> current, PolledBatch batch) {
        List<Skipped> skipped;
        try {
            List<EventOutcome> outcomes = ledger.record(batch.events());
            skipped = batch.skipped(outcomes);
            // Before the commit: once the offsets move on, a record not in the ledger must be in the dead letters.
            deadLetters.publish(skipped);
        } catch (SQLException | RuntimeException e) {
            retryLater(current, batch, e);
            return;
        }
        commit(current, batch);
        report(batch, skipped);
        backoff.succeeded();
    }

    private void retryLater(Consumer<String, byte[]> current, PolledBatch batch, Exception cause) {
        // Nothing of the batch is committed in Kafka, so reading it again from its first offsets loses nothing.
        rewind(current, batch.firstOffsets());
        Duration wait = backoff.failed();
        Logger.Level level = backoff.failures() > QUIET_FAILURES ? Logger.Level.ERROR : Logger.Level.WARN;
        LOG.logf(level, cause, "usage batch not stored; reading it again: consumer=%s records=%d attempt=%d "
                + "retry_in=%s", name, batch.records(), backoff.failures(), wait);
        awaitStopOrTimeout(wait);
    }

    private void commit(Consumer<String, byte[]> current, PolledBatch batch) {
        try {
            commitSync(current, batch.nextOffsets());
        } catch (RebalanceInProgressException | CommitFailedException e) {
            // The batch is stored; whoever reads it again finds every event there already and changes nothing.
            LOG.warnf("usage offsets not committed, the batch will be read again: consumer=%s reason=%s", name,
                    e.getMessage());
            rewind(current, batch.firstOffsets());
        }
    }

    private static void commitSync(Consumer<String, byte[]> current, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            current.commitSync(offsets);
        } catch (WakeupException e) {
            // A stop arrived while the batch was being stored: finish the batch by committing it; the poll loop
            // sees the stop request next.
            current.commitSync(offsets);
        }
    }

    private static void rewind(Consumer<String, byte[]> current, Map<TopicPartition, Long> firstOffsets) {
        Collection<TopicPartition> assigned = current.assignment();
        firstOffsets.forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                current.seek(partition, offset);
            }
        });
    }

    private void report(PolledBatch batch, List<Skipped> skipped) {
        for (Skipped record : skipped) {
            LOG.errorf("usage record dead-lettered: topic=%s partition=%d offset=%d key=%s dead_letter_topic=%s"
                    + " reason=%s", record.record().topic(), record.record().partition(), record.record().offset(),
                    record.record().key(), deadLetters.topic(), record.reason());
        }
        LOG.debugf("usage batch stored: consumer=%s records=%d skipped=%d", name, batch.records(), skipped.size());
    }

    private boolean isStopRequested() {
        return stopRequested.getCount() == 0;
    }

    private void awaitStopOrTimeout(Duration wait) {
        try {
            stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested.countDown();
        }
    }

    /** Logs partition moves; no batch is ever pending when they happen (see the class comment). */
    private final class RebalanceLog implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("usage partitions revoked: consumer=%s partitions=%s", name, partitions);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("usage partitions assigned: consumer=%s partitions=%s", name, partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            LOG.warnf("usage partitions lost; their uncommitted records go to the next owner: consumer=%s "
                    + "partitions=%s", name, partitions);
        }
    }
}

package io.tollbooth.gateway.usage.spool;

import io.tollbooth.usage.event.UsageEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Delivers usage events to Kafka through a durable local spool, so an event survives Kafka being unreachable,
 * and the gateway restarting meanwhile.
 *
 * <p>Every event is appended to the {@link SpoolLog} first, then sent by one shipper thread in spool order (so one
 * client's events reach their partition in the order they were recorded). An event leaves the spool only when
 * Kafka acknowledges it (idempotent producer, {@code acks=all}); the checkpoint of acknowledged events is kept on
 * disk. When Kafka fails a send, the shipper waits for every send in flight to settle, then, after a back-off,
 * sends again exactly the events not acknowledged, in order, until Kafka takes them. Events spooled before a
 * restart are sent after it. Only a crash (not a graceful shutdown) between an acknowledgement and the next
 * checkpoint can send an event twice; its event id makes that replay harmless downstream.
 *
 * <p>The depth (events spooled but not acknowledged) is {@link #depth()}; above {@code max-depth} an ERROR alarm
 * is logged, once and then every minute while it lasts. At most {@code memory-records} waiting events are also held
 * in memory; the rest wait on disk only and are read back in order. Appending never blocks on Kafka.
 */
public final class UsageSpool implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UsageSpool.class);
    private static final long CHECKPOINT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long ALARM_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_IN_FLIGHT = 10_000;

    private final SpoolConfig config;
    private final SpoolLog log;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final ConcurrentSkipListMap<Long, SpooledRecord> unacknowledged = new ConcurrentSkipListMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastAppended = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();
    private final Object signal = new Object();
    private final Object appendLock = new Object();
    private final Thread shipper;
    /** The first event kept on disk only, or 0 while every waiting event is also in memory; under appendLock. */
    private volatile long spilledFrom;
    private volatile boolean sendFailed;
    private volatile boolean closing;
    private volatile long drainDeadlineNanos = Long.MAX_VALUE;
    private long nextToSend;
    private long lastCheckpointNanos = System.nanoTime();
    private long lastFsyncNanos = System.nanoTime();
    private long lastAlarmNanos;
    private boolean overBound;

    /**
     * Opens the spool (reading back what an earlier run left) and starts shipping to {@code topic}.
     *
     * @param producer an idempotent producer with {@code acks=all}; the spool owns and closes it
     */
    public UsageSpool(SpoolConfig config, Producer<String, byte[]> producer, String topic) {
        this.config = config;
        this.producer = producer;
        this.topic = topic;
        this.log = SpoolLog.open(config.directory(), config.segmentBytes());
        for (SpooledRecord record : log.recovered()) {
            if (unacknowledged.size() < config.memoryRecords()) {
                unacknowledged.put(record.seq(), record);
            } else if (spilledFrom == 0) {
                spilledFrom = record.seq();
            }
        }
        this.lastAppended.set(log.recovered().isEmpty() ? log.checkpoint()
                : log.recovered().get(log.recovered().size() - 1).seq());
        this.nextToSend = log.recovered().isEmpty() ? log.checkpoint() + 1 : log.recovered().get(0).seq();
        if (!log.recovered().isEmpty()) {
            LOG.infof("outcome=usage_spool_recovered events=%d directory=%s", log.recovered().size(),
                    config.directory());
        }
        this.shipper = new Thread(this::ship, "tollbooth-usage-spool");
        this.shipper.setDaemon(true);
        this.shipper.start();
    }

    /** A spool shipping to {@value UsageEvent#TOPIC}. */
    public static UsageSpool toUsageTopic(SpoolConfig config, Producer<String, byte[]> producer) {
        return new UsageSpool(config, producer, UsageEvent.TOPIC);
    }

    /**
     * Appends one event and returns once it is in the spool's file (and on disk, with {@code fsync=always}).
     * Never waits for Kafka.
     *
     * @param key the Kafka record key (the client id)
     * @param value the encoded event
     * @throws IOException when the spool's file cannot be written; the event is then not spooled
     */
    public void append(String key, byte[] value) throws IOException {
        if (closing) {
            throw new IOException("the usage spool is closed");
        }
        // The shipper sends in sequence order: a record must be visible to it before any later one is.
        synchronized (appendLock) {
            SpooledRecord record = log.append(key, value);
            if (spilledFrom == 0 && unacknowledged.size() >= config.memoryRecords()) {
                spilledFrom = record.seq();
            }
            if (spilledFrom == 0) {
                unacknowledged.put(record.seq(), record);
            }
            lastAppended.set(record.seq());
        }
        if (config.fsync() == SpoolConfig.Fsync.ALWAYS) {
            log.force();
        }
        checkDepth();
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Events spooled and not yet acknowledged by Kafka: the spool depth. */
    public long depth() {
        long spilled = spilledFrom;
        return unacknowledged.size() + (spilled == 0 ? 0 : lastAppended.get() - spilled + 1);
    }

    /** Sends Kafka has failed since the spool opened; each failed event stays spooled and is sent again. */
    public long failedSends() {
        return failedSends.get();
    }

    /** Whether the depth is above {@code max-depth}, the state the alarm reports. */
    public boolean overBound() {
        return depth() > config.maxDepth();
    }

    /**
     * Stops taking events, sends what it can within {@code timeout}, records what Kafka acknowledged and closes the
     * files and the producer. What is left stays in the spool for the next start.
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** {@link #close()} within {@code timeout}. */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        drainDeadlineNanos = deadline;
        closing = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            shipper.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shipper.interrupt();
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        try {
            checkpoint();
            log.close();
        } catch (IOException e) {
            LOG.errorf(e, "outcome=usage_spool_close_failed directory=%s", config.directory());
        }
        if (depth() > 0) {
            LOG.warnf("outcome=usage_spool_left_for_next_start events=%d directory=%s", depth(), config.directory());
        } else {
            LOG.infof("outcome=usage_spool_flushed directory=%s", config.directory());
        }
    }

    /** The shipper thread: sends in spool order, recovers from failed sends, forces and checkpoints the files. */
    private void ship() {
        while (!closing || (depth() > 0 && System.nanoTime() < drainDeadlineNanos)) {
            try {
                if (sendFailed) {
                    resendAfterFailure();
                } else if (!sendNext()) {
                    awaitWork();
                }
                housekeeping();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                LOG.errorf(e, "outcome=usage_spool_shipper_failed");
                sendFailed = true;
            }
        }
    }

    /** Sends the next event not yet sent; false when there is none, or too many are in flight. */
    private boolean sendNext() throws IOException {
        readBackSpilled();
        Map.Entry<Long, SpooledRecord> next = unacknowledged.ceilingEntry(nextToSend);
        if (next == null || inFlight.get() >= MAX_IN_FLIGHT) {
            return false;
        }
        SpooledRecord record = next.getValue();
        nextToSend = record.seq() + 1;
        inFlight.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(topic, record.key(), record.value()), (metadata, failure) -> {
                inFlight.decrementAndGet();
                if (failure == null) {
                    unacknowledged.remove(record.seq());
                } else {
                    onSendFailed(record, failure);
                }
                synchronized (signal) {
                    signal.notifyAll();
                }
            });
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            onSendFailed(record, e);
        }
        return true;
    }

    private void onSendFailed(SpooledRecord record, Exception failure) {
        failedSends.incrementAndGet();
        if (!sendFailed) {
            LOG.warnf("outcome=usage_send_failed action=spooled seq=%d client=%s cause=\"%s\"", record.seq(),
                    record.key(), failure.toString());
        }
        sendFailed = true;
    }

    /**
     * After a failed send: waits until no send is in flight, backs off, then starts again from the first event not
     * acknowledged. Events acknowledged meanwhile are no longer in the spool and are not sent again.
     */
    private void resendAfterFailure() throws InterruptedException {
        synchronized (signal) {
            while (inFlight.get() > 0 && !pastDrainDeadline()) {
                signal.wait(100);
            }
            long backoffEnd = System.nanoTime() + config.retryBackoff().toNanos();
            while (System.nanoTime() < backoffEnd && !pastDrainDeadline()) {
                signal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(backoffEnd - System.nanoTime())));
            }
        }
        sendFailed = false;
        nextToSend = firstUnacknowledged();
        LOG.debugf("outcome=usage_spool_resending from_seq=%d depth=%d", nextToSend, depth());
    }

    private void awaitWork() throws InterruptedException {
        synchronized (signal) {
            boolean readBackDue = spilledFrom != 0 && unacknowledged.size() <= config.memoryRecords() / 2;
            if (!readBackDue && (unacknowledged.ceilingEntry(nextToSend) == null || inFlight.get() >= MAX_IN_FLIGHT)) {
                signal.wait(Math.max(1, config.fsyncInterval().toMillis()));
            }
        }
    }

    private boolean pastDrainDeadline() {
        return closing && System.nanoTime() >= drainDeadlineNanos;
    }

    private void housekeeping() throws IOException {
        long now = System.nanoTime();
        if (config.fsync() == SpoolConfig.Fsync.INTERVAL && now - lastFsyncNanos >= config.fsyncInterval().toNanos()) {
            lastFsyncNanos = now;
            log.force();
        }
        if (now - lastCheckpointNanos >= CHECKPOINT_EVERY_NANOS) {
            lastCheckpointNanos = now;
            checkpoint();
        }
        checkDepth();
    }

    /** Records on disk that every event up to the first unacknowledged one has reached Kafka. */
    private void checkpoint() throws IOException {
        log.acknowledge(firstUnacknowledged() - 1);
    }

    /** The first event Kafka has not acknowledged: in memory, else the first on disk only, else the next. */
    private long firstUnacknowledged() {
        Map.Entry<Long, SpooledRecord> first = unacknowledged.firstEntry();
        if (first != null) {
            return first.getKey();
        }
        long spilled = spilledFrom;
        return spilled == 0 ? lastAppended.get() + 1 : spilled;
    }

    /** Once half the memory is free, reads the next events kept on disk only back into memory, in order. */
    private void readBackSpilled() throws IOException {
        if (spilledFrom == 0 || unacknowledged.size() > config.memoryRecords() / 2) {
            return;
        }
        List<SpooledRecord> records = log.read(spilledFrom, Math.max(1, config.memoryRecords() / 2));
        synchronized (appendLock) {
            for (SpooledRecord record : records) {
                unacknowledged.put(record.seq(), record);
            }
            long next = records.isEmpty() ? spilledFrom : records.get(records.size() - 1).seq() + 1;
            spilledFrom = next > lastAppended.get() ? 0 : next;
        }
    }

    private synchronized void checkDepth() {
        long depth = depth();
        long now = System.nanoTime();
        if (depth > config.maxDepth()) {
            if (!overBound || now - lastAlarmNanos >= ALARM_EVERY_NANOS) {
                LOG.errorf("outcome=usage_spool_over_bound depth=%d bound=%d directory=%s action=\"Kafka is not "
                        + "taking usage events; they are kept on local disk until it does\"", depth,
                        config.maxDepth(), config.directory());
                lastAlarmNanos = now;
            }
            overBound = true;
        } else if (overBound) {
            overBound = false;
            LOG.infof("outcome=usage_spool_back_under_bound depth=%d bound=%d", depth, config.maxDepth());
        }
    }
}

package io.tollbooth.gateway.usage.spool;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** The durable spool of usage events on their way to Kafka, under {@code tollbooth.gateway.usage.spool}. */
@ConfigMapping(prefix = "tollbooth.gateway.usage.spool")
public interface SpoolConfig {

    /**
     * {@code tollbooth.gateway.usage.spool.directory}: the local directory of the spool's log files, on a disk
     * that survives a restart; one gateway process per directory (it is locked).
     */
    Path directory();

    /**
     * {@code tollbooth.gateway.usage.spool.fsync}: when appended events are forced to disk: {@code always} (before
     * each append returns: survives a power cut, costs a disk flush per request), {@code interval} (every
     * {@code fsync-interval}: a crash of the machine loses at most that much) or {@code never} (the operating system
     * decides: a crash of the process loses nothing, a crash of the machine may).
     */
    @WithDefault("interval")
    Fsync fsync();

    /** {@code tollbooth.gateway.usage.spool.fsync-interval}: the period of {@code fsync=interval}. */
    @WithDefault("PT0.2S")
    Duration fsyncInterval();

    /**
     * {@code tollbooth.gateway.usage.spool.max-depth}: events waiting for Kafka above which an ERROR alarm is
     * logged (again every minute while it lasts). Events are still kept: losing them would lose revenue.
     */
    @WithDefault("100000")
    long maxDepth();

    /**
     * {@code tollbooth.gateway.usage.spool.memory-records}: events waiting for Kafka that are also kept in memory;
     * beyond them, events wait on disk only and are read back as Kafka takes the earlier ones, so a long outage
     * costs disk, not heap.
     */
    @WithDefault("10000")
    int memoryRecords();

    /** {@code tollbooth.gateway.usage.spool.segment-bytes}: size at which a new log file is begun. */
    @WithDefault("16777216")
    long segmentBytes();

    /** {@code tollbooth.gateway.usage.spool.retry-backoff}: wait before sending again what Kafka failed to take. */
    @WithDefault("PT1S")
    Duration retryBackoff();

    /** When appended events are forced to disk. */
    enum Fsync {
        ALWAYS, INTERVAL, NEVER
    }
}

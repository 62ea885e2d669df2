package io.tollbooth.gateway.usage.spool;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Spool settings for tests: a given directory and depth bound, small segments, room in memory for only two waiting
 * events (so the others wait on disk only and are read back) and a short back-off.
 */
record TestSpoolConfig(Path directory, long maxDepth) implements SpoolConfig {

    @Override
    public Fsync fsync() {
        return Fsync.ALWAYS;
    }

    @Override
    public Duration fsyncInterval() {
        return Duration.ofMillis(100);
    }

    @Override
    public int memoryRecords() {
        return 2;
    }

    @Override
    public long segmentBytes() {
        return 256;
    }

    @Override
    public Duration retryBackoff() {
        return Duration.ofMillis(200);
    }
}

package io.tollbooth.gateway.usage.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The spool's files: an append-only log of records, numbered by a sequence that only grows, cut into segment
 * files, plus a checkpoint holding the highest sequence Kafka has acknowledged with everything below it.
 *
 * <p>A record is {@code [int length][long seq][int key length][key][value][int CRC32C]}, the length counting the
 * bytes after itself up to the CRC. A record cut short by a crash, or whose CRC does not match, ends its segment:
 * the segment is truncated there when the log is opened. Segments whose records are all acknowledged are deleted.
 * The directory is locked while open, so two gateway processes never share it. Appends are serialised by the
 * caller; {@link #force} and {@link #acknowledge} may run on another thread.
 */
final class SpoolLog implements Closeable {

    private static final String CHECKPOINT = "acknowledged.checkpoint";
    private static final String SEGMENT_PREFIX = "segment-";
    private static final String SEGMENT_SUFFIX = ".log";
    private static final int HEADER_BYTES = Integer.BYTES + Long.BYTES + Integer.BYTES;

    private final Path directory;
    private final long segmentBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Deque<Segment> segments = new ArrayDeque<>();
    private final List<SpooledRecord> recovered;
    private Segment current;
    private long nextSeq;
    private long checkpoint;
    private volatile boolean dirty;

    private SpoolLog(Path directory, long segmentBytes) throws IOException {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(directory);
        this.lockChannel = FileChannel.open(directory.resolve("spool.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        this.lock = tryLock(lockChannel, directory);
        this.checkpoint = readCheckpoint();
        this.nextSeq = checkpoint + 1;
        this.recovered = recover();
    }

    /** Opens (and locks) the spool in {@code directory}, reading back what was not acknowledged. */
    static SpoolLog open(Path directory, long segmentBytes) {
        try {
            return new SpoolLog(directory, segmentBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the usage spool in " + directory, e);
        }
    }

    /** The records that were spooled but not acknowledged before the log was opened, in sequence order. */
    List<SpooledRecord> recovered() {
        return recovered;
    }

    /** Appends a record and returns it with its sequence number; forced to disk only by {@link #force}. */
    synchronized SpooledRecord append(String key, byte[] value) throws IOException {
        if (current == null || current.size >= segmentBytes) {
            roll();
        }
        long seq = nextSeq;
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + keyBytes.length + value.length + Integer.BYTES);
        record.putInt(Long.BYTES + Integer.BYTES + keyBytes.length + value.length);
        record.putLong(seq).putInt(keyBytes.length).put(keyBytes).put(value);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), Integer.BYTES, record.position() - Integer.BYTES);
        record.putInt((int) crc.getValue()).flip();
        while (record.hasRemaining()) {
            current.channel.write(record);
        }
        current.size += record.limit();
        current.lastSeq = seq;
        nextSeq = seq + 1;
        dirty = true;
        return new SpooledRecord(seq, key, value);
    }

    /** Forces what was appended to disk, if anything was since the last time. */
    synchronized void force() throws IOException {
        Segment segment = current;
        if (dirty && segment != null) {
            dirty = false;
            segment.channel.force(false);
        }
    }

    /**
     * Reads back up to {@code max} records from sequence {@code fromSeq} on, in order: the records the spool did not
     * keep in memory. Holds appends back while it reads.
     */
    synchronized List<SpooledRecord> read(long fromSeq, int max) throws IOException {
        List<SpooledRecord> records = new ArrayList<>(Math.min(max, 1024));
        for (Segment segment : segments) {
            if (segment.lastSeq < fromSeq) {
                continue;
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) Files.size(segment.path));
            try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.READ)) {
                while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                    // read the whole segment
                }
            }
            bytes.flip();
            while (bytes.remaining() >= Integer.BYTES && records.size() < max) {
                SpooledRecord record = readRecord(bytes);
                if (record == null) {
                    break;
                }
                if (record.seq() >= fromSeq) {
                    records.add(record);
                }
            }
            if (records.size() >= max) {
                break;
            }
        }
        return records;
    }

    /**
     * Records that Kafka has acknowledged every record up to {@code seq}: the checkpoint is replaced atomically and
     * segments holding only acknowledged records are deleted.
     */
    synchronized void acknowledge(long seq) throws IOException {
        if (seq <= checkpoint) {
            return;
        }
        Path temporary = directory.resolve(CHECKPOINT + ".tmp");
        Files.writeString(temporary, Long.toString(seq), StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, directory.resolve(CHECKPOINT), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        checkpoint = seq;
        while (segments.size() > 1 && segments.peekFirst().lastSeq <= seq) {
            Segment done = segments.pollFirst();
            done.channel.close();
            Files.deleteIfExists(done.path);
        }
    }

    /** The highest sequence acknowledged with all below it. */
    synchronized long checkpoint() {
        return checkpoint;
    }

    @Override
    public synchronized void close() throws IOException {
        force();
        for (Segment segment : segments) {
            segment.channel.close();
        }
        lock.release();
        lockChannel.close();
    }

    private void roll() throws IOException {
        if (current != null) {
            current.channel.force(false);
        }
        Path path = directory.resolve(String.format("%s%020d%s", SEGMENT_PREFIX, nextSeq, SEGMENT_SUFFIX));
        current = new Segment(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        current.lastSeq = nextSeq - 1;
        segments.addLast(current);
        syncDirectory();
    }

    private List<SpooledRecord> recover() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(path -> path.getFileName().toString().startsWith(SEGMENT_PREFIX)).sorted()
                    .toList();
        }
        List<SpooledRecord> records = new ArrayList<>();
        for (Path file : files) {
            long last = readSegment(file, records);
            nextSeq = Math.max(nextSeq, last + 1);
            if (last <= checkpoint) {
                Files.delete(file);
            } else {
                Segment segment = new Segment(file, FileChannel.open(file, StandardOpenOption.READ));
                segment.lastSeq = last;
                segments.addLast(segment);
            }
        }
        return List.copyOf(records);
    }

    /** Reads one segment's whole records into {@code records} (those not acknowledged), truncating a torn tail. */
    private long readSegment(Path file, List<SpooledRecord> records) throws IOException {
        long last = checkpoint;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.allocate((int) channel.size());
            while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                // read the whole segment
            }
            bytes.flip();
            int validEnd = 0;
            while (bytes.remaining() >= Integer.BYTES) {
                SpooledRecord record = readRecord(bytes);
                if (record == null) {
                    break;
                }
                validEnd = bytes.position();
                last = Math.max(last, record.seq());
                if (record.seq() > checkpoint) {
                    records.add(record);
                }
            }
            if (validEnd < channel.size()) {
                channel.truncate(validEnd);
            }
        }
        return last;
    }

    private static SpooledRecord readRecord(ByteBuffer bytes) {
        int start = bytes.position();
        int length = bytes.getInt();
        if (length < Long.BYTES + Integer.BYTES || length + Integer.BYTES > bytes.remaining()) {
            return null;
        }
        long seq = bytes.getLong();
        int keyLength = bytes.getInt();
        if (keyLength < 0 || keyLength > length - Long.BYTES - Integer.BYTES) {
            return null;
        }
        byte[] key = new byte[keyLength];
        bytes.get(key);
        byte[] value = new byte[length - Long.BYTES - Integer.BYTES - keyLength];
        bytes.get(value);
        CRC32C crc = new CRC32C();
        crc.update(bytes.array(), start + Integer.BYTES, length);
        if ((int) crc.getValue() != bytes.getInt()) {
            return null;
        }
        return new SpooledRecord(seq, new String(key, StandardCharsets.UTF_8), value);
    }

    private long readCheckpoint() throws IOException {
        Path file = directory.resolve(CHECKPOINT);
        return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be forced; the segment's own data is forced regardless.
        }
    }

    private static FileLock tryLock(FileChannel channel, Path directory) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM
        }
        channel.close();
        throw new IllegalStateException("the usage spool in " + directory + " is in use by another gateway process; "
                + "give each process its own tollbooth.gateway.usage.spool.directory");
    }

    /** One segment file and the last sequence written to it. */
    private static final class Segment {

        final Path path;
        final FileChannel channel;
        long size;
        long lastSeq;

        Segment(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }
    }
}

package io.tollbooth.deploy.local.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Streaming measurements for the gateway benchmark, made in one JVM with keep-alive connections so that the client's
 * own start-up never counts: time to the first streamed byte of one request at a time, and many streams held open at
 * once with the longest wait between two events of a stream.
 *
 * <p>Each mode prints one line starting with {@code RESULT} for {@code docs/benchmarks/gateway/run} to read.
 */
@Command(name = "stream-bench", mixinStandardHelpOptions = true,
        subcommands = {StreamBench.FirstByte.class, StreamBench.Hold.class})
public final class StreamBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private StreamBench() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamBench()).execute(args));
    }

    /** Sends the requests one after another and times each until the first body byte. */
    @Command(name = "first-byte", description = "Time to the first streamed byte, one request at a time.")
    static final class FirstByte implements java.util.concurrent.Callable<Integer> {

        @Option(names = "--url", required = true, description = "Chat completions URL.")
        URI url;

        @Option(names = "--key", required = true, description = "API key sent as a bearer token.")
        String key;

        @Option(names = "--requests", defaultValue = "2000")
        int requests;

        @Option(names = "--warmup", defaultValue = "500")
        int warmup;

        @Override
        public Integer call() throws Exception {
            HttpRequest request = post(url, key, streamBody(16, 0, 0));
            for (int i = 0; i < warmup; i++) {
                firstByteNanos(request);
            }
            List<Long> nanos = new ArrayList<>(requests);
            for (int i = 0; i < requests; i++) {
                nanos.add(firstByteNanos(request));
            }
            Collections.sort(nanos);
            System.out.printf(Locale.ROOT, "RESULT %.3f %.3f %d%n", millis(percentile(nanos, 0.50)),
                    millis(percentile(nanos, 0.99)), nanos.size());
            return 0;
        }

        private static long firstByteNanos(HttpRequest request) throws Exception {
            long start = System.nanoTime();
            HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream body = response.body()) {
                if (response.statusCode() != 200 || body.read() < 0) {
                    throw new IllegalStateException("stream answered " + response.statusCode() + " with no body");
                }
                long elapsed = System.nanoTime() - start;
                body.transferTo(java.io.OutputStream.nullOutputStream());
                return elapsed;
            }
        }
    }

    /**
     * Opens the streams over a ramp, keeps them all open while the backend sends one event every
     * {@code --chunk-delay-ms}, and reports the longest gap between two events of any stream beyond that delay.
     */
    @Command(name = "hold", description = "Many concurrent streams; the longest stall between two events.")
    static final class Hold implements java.util.concurrent.Callable<Integer> {

        @Option(names = "--url", required = true, description = "Chat completions URL.")
        URI url;

        @Option(names = "--key", required = true, description = "API key sent as a bearer token.")
        String key;

        @Option(names = "--streams", defaultValue = "1000")
        int streams;

        @Option(names = "--tokens", defaultValue = "60", description = "Content chunks per stream.")
        int tokens;

        @Option(names = "--chunk-delay-ms", defaultValue = "100")
        long chunkDelayMs;

        @Option(names = "--ramp-ms", defaultValue = "2000", description = "Time over which the streams are opened.")
        long rampMs;

        @Override
        public Integer call() throws Exception {
            HttpRequest request = post(url, key, streamBody(tokens, chunkDelayMs, chunkDelayMs));
            AtomicInteger open = new AtomicInteger();
            AtomicInteger mostOpen = new AtomicInteger();
            List<CompletableFuture<Stream>> finished = new ArrayList<>(streams);
            long start = System.nanoTime();
            for (int i = 0; i < streams; i++) {
                long due = start + TimeUnit.MILLISECONDS.toNanos(rampMs * i / streams);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                Stream stream = new Stream(open, mostOpen);
                finished.add(HTTP.sendAsync(request, info -> BodySubscribers.fromLineSubscriber(stream))
                        .thenApply(response -> stream.answered(response.statusCode())));
            }
            List<Long> worstGaps = new ArrayList<>(streams);
            int failed = 0;
            int events = 0;
            for (CompletableFuture<Stream> future : finished) {
                try {
                    Stream stream = future.get(10, TimeUnit.MINUTES);
                    if (stream.status != 200 || !stream.done) {
                        failed++;
                    } else {
                        worstGaps.add(stream.worstGapNanos);
                        events += stream.events;
                    }
                } catch (Exception e) {
                    failed++;
                }
            }
            Collections.sort(worstGaps);
            double delay = chunkDelayMs;
            double p50 = worstGaps.isEmpty() ? 0 : millis(percentile(worstGaps, 0.50)) - delay;
            double p99 = worstGaps.isEmpty() ? 0 : millis(percentile(worstGaps, 0.99)) - delay;
            double max = worstGaps.isEmpty() ? 0 : millis(worstGaps.get(worstGaps.size() - 1)) - delay;
            // completed, failed, most open at once, events, stall (worst gap beyond the planned delay) p50 p99 max
            System.out.printf(Locale.ROOT, "RESULT %d %d %d %d %.1f %.1f %.1f%n", worstGaps.size(), failed,
                    mostOpen.get(), events, Math.max(0, p50), Math.max(0, p99), Math.max(0, max));
            return 0;
        }
    }

    /** One stream's events as they arrive: how many, whether {@code [DONE]} came, and the longest gap between two. */
    private static final class Stream implements Flow.Subscriber<String> {

        private final AtomicInteger open;
        private final AtomicInteger mostOpen;
        private long lastEventNanos;
        volatile long worstGapNanos;
        volatile int events;
        volatile boolean done;
        volatile int status;

        Stream(AtomicInteger open, AtomicInteger mostOpen) {
            this.open = open;
            this.mostOpen = mostOpen;
        }

        Stream answered(int statusCode) {
            this.status = statusCode;
            return this;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!line.startsWith("data:")) {
                return;
            }
            long now = System.nanoTime();
            if (events > 0) {
                worstGapNanos = Math.max(worstGapNanos, now - lastEventNanos);
            }
            lastEventNanos = now;
            events++;
            if (line.equals("data: [DONE]")) {
                done = true;
            }
        }

        @Override
        public void onError(Throwable error) {
            open.decrementAndGet();
        }

        @Override
        public void onComplete() {
            open.decrementAndGet();
        }
    }

    private static HttpRequest post(URI url, String key, String body) {
        return HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String streamBody(int tokens, long firstTokenDelayMs, long chunkDelayMs) {
        return "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Stream for the "
                + "benchmark.\"}],\"simulation\":{\"completion_tokens\":" + tokens + ",\"first_token_delay_ms\":"
                + firstTokenDelayMs + ",\"chunk_delay_ms\":" + chunkDelayMs + "}}";
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (p * sorted.size())));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}

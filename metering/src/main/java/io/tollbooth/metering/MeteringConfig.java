package io.tollbooth.metering;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tollbooth.usage.event.UsageEvent;
import java.time.Duration;

/**
 * Configuration of metering, under {@code tollbooth.metering}. The Kafka connection itself comes from the
 * application's {@code kafka.*} properties ({@code kafka.bootstrap.servers} and any security settings).
 */
@ConfigMapping(prefix = "tollbooth.metering")
public interface MeteringConfig {

    /** The usage consumer. */
    Consumer consumer();

    /** Settings of the consumer that reads usage events from Kafka into the ledger. */
    interface Consumer {

        /** Whether this instance consumes usage events; turn off on instances that should only serve requests. */
        @WithDefault("true")
        boolean enabled();

        /** Topic the usage events are read from. */
        @WithDefault(UsageEvent.TOPIC)
        String topic();

        /** Kafka consumer group of all metering instances; the topic's partitions are shared among its members. */
        @WithDefault("tollbooth-metering")
        String groupId();

        /** Consumer threads in this instance, each with its own Kafka consumer; more than partitions stay idle. */
        @WithDefault("1")
        int threads();

        /** Most records one poll returns, and so the most events written in one database transaction. */
        @WithDefault("1000")
        int maxPollRecords();

        /** How long one poll waits for records before the consumer checks whether it should stop. */
        @WithDefault("1s")
        Duration pollTimeout();

        /** Wait before the first retry of a batch the database failed to store; doubles with every failure. */
        @WithDefault("500ms")
        Duration retryInitialBackoff();

        /** Longest wait between retries of a batch; keep it well below Kafka's {@code max.poll.interval.ms}. */
        @WithDefault("30s")
        Duration retryMaxBackoff();

        /**
         * Topic that records metering cannot store go to, each with the reason in a header, to be replayed after a
         * fix; created with the broker's defaults when missing.
         */
        @WithDefault(UsageEvent.TOPIC + ".dead-letter")
        String deadLetterTopic();

        /** Consumer group that remembers how far the dead-letter topic has been replayed. */
        @WithDefault("tollbooth-metering-replay")
        String replayGroupId();

        /** How long shutdown waits for each consumer to finish its batch, commit and leave the group. */
        @WithDefault("30s")
        Duration shutdownTimeout();
    }
}

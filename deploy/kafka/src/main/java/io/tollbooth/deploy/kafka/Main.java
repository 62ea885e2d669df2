package io.tollbooth.deploy.kafka;

import java.nio.file.Path;

/**
 * Runs the local broker in the foreground for the local stack: {@code <data dir> <broker port> [topic ...]}.
 * The controller listens on the broker port plus one.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        int brokerPort = Integer.parseInt(args[1]);
        String[] topics = java.util.Arrays.copyOfRange(args, 2, args.length);
        try (LocalKafka kafka = LocalKafka.start(Path.of(args[0]), brokerPort, brokerPort + 1, topics)) {
            System.out.println("Kafka is up at " + kafka.bootstrapServers());
            while (kafka.isRunning()) {
                Thread.sleep(1000);
            }
        }
    }
}

package io.tollbooth.deploy.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * Runs one Kafka node in KRaft mode (broker and controller in one process) until the process is stopped.
 *
 * <p>Arguments: {@code <data dir> <broker port> <controller port> [topic:partitions ...]}. The data directory is
 * formatted on first start and reused afterwards. When the broker serves and the topics exist, one line starting
 * with {@value #READY} is printed on standard output.
 */
public final class KafkaServerMain {

    /** Printed once the broker accepts clients and the topics exist. */
    public static final String READY = "TOLLBOOTH_KAFKA_READY";

    private KafkaServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int brokerPort = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        List<NewTopic> topics = parseTopics(args);

        Properties props = serverProperties(dataDir, brokerPort, controllerPort);
        formatOnce(dataDir, props);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-shutdown"));
        server.startup();

        String bootstrap = "127.0.0.1:" + brokerPort;
        createTopics(bootstrap, topics);
        System.out.println(READY + " " + bootstrap);
        System.out.flush();
        server.awaitShutdown();
    }

    private static Properties serverProperties(Path dataDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners",
                        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", dataDir.resolve("log").toString()),
                Map.entry("num.partitions", "3"),
                Map.entry("auto.create.topics.enable", "false"),
                // One node: every internal topic has one replica, and few partitions keep the start fast.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "3"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "3"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0")));
        return props;
    }

    private static void formatOnce(Path dataDir, Properties props) throws IOException {
        Path logDir = dataDir.resolve("log");
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Files.createDirectories(dataDir);
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "written by " + KafkaServerMain.class.getName());
        }
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        int exit = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()}, quiet);
        if (exit != 0) {
            throw new IllegalStateException("formatting the Kafka storage in " + logDir + " failed: exit " + exit);
        }
    }

    private static List<NewTopic> parseTopics(String[] args) {
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String[] parts = args[i].split(":");
            int partitions = parts.length > 1 ? Integer.parseInt(parts[1]) : 3;
            topics.add(new NewTopic(parts[0], partitions, (short) 1));
        }
        return topics;
    }

    private static void createTopics(String bootstrap, List<NewTopic> topics) throws Exception {
        if (topics.isEmpty()) {
            return;
        }
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "tollbooth-local-kafka-" + UUID.randomUUID());
        try (Admin admin = Admin.create(config)) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }
}

package io.tollbooth.simulator;

import java.util.logging.Logger;

/**
 * Runs the simulator from the command line until the process is stopped (SIGTERM or Ctrl-C close it cleanly).
 *
 * <p>Options: {@code --port N} (default {@value #DEFAULT_PORT}; 0 picks a free port), {@code --host ADDRESS}
 * (default {@value SimulatorServer#DEFAULT_HOST}) and {@code --event-loops N} (default: available processors).
 * When ready it logs one line, {@code simulator ready port=N ...}.
 */
public final class Main {

    /** The port used when {@code --port} is not given. */
    public static final int DEFAULT_PORT = 8090;

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tFT%1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n");
        }
        Logger log = Logger.getLogger(Main.class.getName());
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: Main [--port N] [--host ADDRESS] [--event-loops N]");
            System.exit(2);
            return;
        }
        SimulatorServer server = SimulatorServer.start(options.host(), options.port(), options.eventLoops());
        // No log line on the way out: the JDK resets java.util.logging in its own shutdown hook, racing this one.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "simulator-shutdown"));
        log.info("simulator ready port=" + server.port() + " host=" + options.host()
                + " event_loops=" + server.eventLoops() + " pid=" + ProcessHandle.current().pid());
    }

    /** The parsed command line. */
    record Options(String host, int port, int eventLoops) {

        static Options parse(String... args) {
            String host = SimulatorServer.DEFAULT_HOST;
            int port = DEFAULT_PORT;
            int eventLoops = Runtime.getRuntime().availableProcessors();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--port" -> port = intValue("--port", value, 0, 65535);
                    case "--host" -> host = required("--host", value);
                    case "--event-loops" -> eventLoops = intValue("--event-loops", value, 1, 1024);
                    default -> throw new IllegalArgumentException("unknown option: " + args[i]);
                }
                i++;
            }
            return new Options(host, port, eventLoops);
        }

        private static String required(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }

        private static int intValue(String option, String value, int min, int max) {
            try {
                int number = Integer.parseInt(required(option, value));
                if (number < min || number > max) {
                    throw new IllegalArgumentException(option + " must be between " + min + " and " + max);
                }
                return number;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a number, got " + value);
            }
        }
    }
}

package io.tollbooth.deploy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the reconciliation of the demo's invoices, as the control plane logged it when the invoice run ended
 * (billing's ReconcileAfterRuns writes one {@code invoice reconciled} line per invoice): for each invoice the
 * usage events it bills, their rated amount at full precision, the lines rounded once, the amount due, what
 * Stripe was asked for, and how many differences were found.
 */
final class ReconciliationLog {

    private static final Pattern LINE = Pattern.compile("invoice reconciled invoice=\\S+ number=(\\S+) events=(\\d+)"
            + " rated=(\\S+) lines=(\\S+) due=(\\S+) stripe=(\\S+) currency=(\\S+) differences=(\\d+)");
    private static final String ROW = "%-26s %8s %16s %12s %12s %8s  %s%n";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ReconciliationLog() {
    }

    /**
     * The reconciliation of the invoices numbered {@code numbers}, read from the control plane's log; waits a few
     * seconds for lines not written yet.
     *
     * @throws IllegalStateException if an invoice's line is still missing then
     */
    static String render(Path controlPlaneLog, List<String> numbers) throws InterruptedException {
        return render(controlPlaneLog, numbers, WAIT);
    }

    /** Like {@link #render(Path, List)}, waiting at most {@code wait} for missing lines. */
    static String render(Path controlPlaneLog, List<String> numbers, Duration wait) throws InterruptedException {
        Map<String, Matcher> lines = await(controlPlaneLog, numbers, wait);
        StringBuilder table = new StringBuilder("Reconciliation: usage events -> rated -> invoice lines -> amount due"
                + " -> Stripe").append(System.lineSeparator());
        table.append(String.format(ROW, "Invoice", "Events", "Rated (exact)", "Lines", "Amount due", "Stripe",
                "Differences"));
        long differences = 0;
        for (String number : numbers) {
            Matcher line = lines.get(number);
            differences += Long.parseLong(line.group(8));
            table.append(String.format(ROW, number, line.group(2), line.group(3) + " " + line.group(7),
                    line.group(4), line.group(5), line.group(6), "0".equals(line.group(8)) ? "none" : line.group(8)));
        }
        table.append(differences == 0 ? "No difference: every invoice adds up from its usage events."
                : differences + " differences: see the WARN lines of " + controlPlaneLog);
        table.append(System.lineSeparator());
        return table.toString();
    }

    private static Map<String, Matcher> await(Path log, List<String> numbers, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Map<String, Matcher> found = read(log, numbers);
            if (found.size() == numbers.size()) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the control plane logged no reconciliation of " + numbers.stream()
                        .filter(n -> !found.containsKey(n)).toList() + " in " + log);
            }
            Thread.sleep(200);
        }
    }

    // The last line per invoice wins: a run that closes the month again reconciles the same invoices again.
    private static Map<String, Matcher> read(Path log, List<String> numbers) {
        Map<String, Matcher> found = new LinkedHashMap<>();
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            lines.map(LINE::matcher).filter(Matcher::find).filter(m -> numbers.contains(m.group(1)))
                    .forEach(m -> found.put(m.group(1), m));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
        return found;
    }
}
